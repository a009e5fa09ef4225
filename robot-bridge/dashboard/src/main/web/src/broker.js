// MQTT 5 over WebSocket straight to the broker. The broker's login and role ACL decide what this
// page may see and do; the page is one more QoS 0 subscriber and cannot hold a bridge up.
import mqtt from "mqtt";

const AUTH_REFUSALS = { 133: "client id not allowed", 134: "bad user name or password", 135: "not authorized" };

export function reasonText(code) {
  const names = { 0x80: "unspecified error", 0x83: "implementation specific error", 0x87: "not authorized",
    0x8f: "topic filter invalid", 0x90: "topic name invalid", 0x97: "quota exceeded", 0x99: "payload format invalid" };
  return `${names[code] || "refused"} (reason 0x${code.toString(16)})`;
}

/**
 * One connection. Callbacks: onStatus(kind, text) with kind "on" | "off" | "warn" | "auth";
 * onMessage(topic, Uint8Array); onDisconnectByBroker(reasonCode).
 */
export class Broker {
  constructor(url, login, handlers) {
    this.url = url;
    this.login = login; // {user, password} or null for anonymous
    this.h = handlers;
    this.filters = new Map(); // filter -> qos, re-subscribed after every reconnect
    this.refused = new Set();
    const who = login ? login.user : "dashboard";
    this.clientId = `${who}-${Math.random().toString(36).slice(2, 10)}`;
    this.client = mqtt.connect(url, {
      protocolVersion: 5,
      clientId: this.clientId,
      username: login ? login.user : undefined,
      password: login && login.password ? login.password : undefined,
      clean: true,
      keepalive: 20,
      reconnectPeriod: 1500,
      connectTimeout: 8000,
      resubscribe: false,
      properties: { sessionExpiryInterval: 0 },
    });
    this.client.on("connect", () => {
      this.h.onStatus("on", `connected as ${login ? login.user : "anonymous"}`);
      for (const [f, qos] of this.filters) this.#subscribe(f, qos);
    });
    this.client.on("message", (topic, payload) => this.h.onMessage(topic, payload));
    this.client.on("disconnect", (packet) => {
      const code = packet && packet.reasonCode;
      this.h.onDisconnectByBroker(code);
    });
    this.client.on("close", () => this.h.onStatus("off", "disconnected: reconnecting…"));
    this.client.on("error", (err) => {
      if (err && AUTH_REFUSALS[err.code]) {
        this.client.end(true); // retrying the same login would only be refused again
        this.h.onStatus("auth", AUTH_REFUSALS[err.code]);
      } else {
        this.h.onStatus("off", `broker error: ${err && err.message ? err.message : err}`);
      }
    });
  }

  subscribe(filter, qos = 0) {
    this.filters.set(filter, qos);
    if (this.client.connected) this.#subscribe(filter, qos);
  }

  unsubscribe(filter) {
    if (this.filters.delete(filter) && this.client.connected) this.client.unsubscribe(filter);
  }

  #subscribe(filter, qos) {
    this.client.subscribe(filter, { qos }, (err, granted) => {
      const g = granted && granted[0];
      const refused = err || (g && g.qos >= 0x80);
      if (refused) {
        this.refused.add(filter);
        if (this.h.onSubscribeRefused) this.h.onSubscribeRefused(filter, g ? g.qos : 0x80);
      } else {
        this.refused.delete(filter);
        if (this.h.onSubscribeGranted) this.h.onSubscribeGranted(filter);
      }
    });
  }

  /** QoS 1 publish; resolves to null when the broker accepted it, else the refusal's text. */
  publish(topic, bytes) {
    return new Promise((resolve) => {
      if (!this.client.connected) {
        resolve("not connected to the broker");
        return;
      }
      this.client.publish(topic, bytes, { qos: 1 }, (err, packet) => {
        if (err) resolve(err.code ? reasonText(err.code) : String(err.message || err));
        else if (packet && packet.reasonCode >= 0x80) resolve(reasonText(packet.reasonCode));
        else resolve(null);
      });
      // mqtt.js writes the packet into a corked stream and uncorks it on process.nextTick, which its
      // browser build polyfills with setTimeout(0): the bytes would wait behind every task of a busy page
      // (an e-stop waited 66 ms between publish() and the WebSocket's send under load). Send them now.
      const stream = this.client.stream;
      while (stream && stream.writableCorked > 0) stream.uncork();
    });
  }

  close() {
    this.client.end(true);
  }
}
