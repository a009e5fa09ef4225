package io.optimus.bridge.mqtt;

import io.optimus.common.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS towards the broker. With no CA file the JDK's default trust store is used; with one, only the
 * certificates in that PEM file are trusted (the usual setup for a private broker).
 *
 * @param caCertificates PEM file of trusted CA certificates, or null for the JDK defaults
 * @param verifyHostname check the broker's certificate names its host (off only for lab setups)
 */
public record TlsSettings(Path caCertificates, boolean verifyHostname) {
  public static TlsSettings systemDefaults() {
    return new TlsSettings(null, true);
  }

  SSLSocketFactory socketFactory() {
    if (caCertificates == null) {
      return (SSLSocketFactory) SSLSocketFactory.getDefault();
    }
    try (InputStream in = Files.newInputStream(caCertificates)) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new InputException("CA file " + caCertificates + " holds no PEM certificate");
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        trust.setCertificateEntry("ca" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx.getSocketFactory();
    } catch (IOException e) {
      throw new InputException("cannot read CA file " + caCertificates + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new InputException("CA file " + caCertificates + " is not usable: " + e.getMessage(), e);
    }
  }
}
