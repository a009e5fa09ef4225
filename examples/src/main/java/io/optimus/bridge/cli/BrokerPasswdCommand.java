package io.optimus.bridge.cli;

import io.optimus.bridge.mqtt.auth.BrokerUser;
import io.optimus.bridge.mqtt.auth.BrokerUsers;
import io.optimus.bridge.mqtt.auth.PasswordFile;
import io.optimus.bridge.mqtt.auth.PasswordHash;
import io.optimus.bridge.mqtt.auth.Role;
import io.optimus.common.InputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code optimus broker passwd FILE USER}: adds, updates or deletes a user of the embedded broker. */
@Command(name = "passwd", mixinStandardHelpOptions = true,
    description = {"Add or update a broker user, or delete one (--delete).",
        "The password comes from --password-env VAR or the first line of stdin, never the command line.",
        "The file is created if missing and kept mode 0600.",
        "Roles: bridge (one robot), operator, policy, observer (read-only), supervisor (e-stop and reset on its own"
        + " supervise topic); --robots '*' for all (observers, supervisors)."})
public final class BrokerPasswdCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "Password file (see 'optimus broker --passwd').")
  Path file;

  @Parameters(index = "1", paramLabel = "USER", description = "User name; its clients use client id USER or USER-SUFFIX.")
  String user;

  @Option(names = "--role", description = "bridge, operator, policy, observer or supervisor (required for a new user).")
  String role;

  @Option(names = "--robots", paramLabel = "IDS", description = "Robot ids, comma-separated, or '*' (observers, supervisors)"
      + " (required for a new user).")
  String robots;

  @Option(names = "--password-env", paramLabel = "VAR", description = "Environment variable holding the password.")
  String passwordEnv;

  @Option(names = "--iterations", defaultValue = "" + PasswordHash.DEFAULT_ITERATIONS,
      description = "PBKDF2 iterations (default ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--delete", description = "Remove USER.")
  boolean delete;

  /** Stdin, replaceable by tests. */
  InputStream stdin = System.in;

  @Override
  public Integer call() {
    List<BrokerUser> users = Files.exists(file) ? new ArrayList<>(PasswordFile.read(file).all()) : new ArrayList<>();
    BrokerUser old = users.stream().filter(u -> u.name().equals(user)).findFirst().orElse(null);
    users.remove(old);
    if (delete) {
      if (old == null) {
        throw new InputException("user " + user + " is not in " + file);
      }
      PasswordFile.write(file, BrokerUsers.of(users));
      System.err.println("optimus broker passwd: deleted " + user + " from " + file);
      return 0;
    }
    if (old == null && (role == null || robots == null)) {
      throw new InputException("new user " + user + " needs --role and --robots");
    }
    if (iterations < PasswordHash.MIN_ITERATIONS) {
      throw new InputException("--iterations " + iterations + " is below " + PasswordHash.MIN_ITERATIONS);
    }
    char[] pw = password();
    try {
      BrokerUser u = new BrokerUser(user,
          role != null ? Role.parse(role) : old.role(),
          robots != null ? Arrays.stream(robots.split(",", -1)).map(String::strip).toList() : old.robots(),
          PasswordHash.of(pw, iterations));
      users.add(u);
      PasswordFile.write(file, BrokerUsers.of(users));
      System.err.println("optimus broker passwd: " + (old == null ? "added " : "updated ") + user + " ("
          + u.role().id() + " of " + String.join(",", u.robots()) + ") in " + file);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    } finally {
      Arrays.fill(pw, '\0');
    }
    return 0;
  }

  private char[] password() {
    String pw;
    if (passwordEnv != null) {
      pw = System.getenv(passwordEnv);
      if (pw == null) {
        throw new InputException("--password-env " + passwordEnv + ": no such environment variable is set");
      }
    } else {
      try {
        pw = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
      } catch (IOException e) {
        throw new InputException("cannot read the password from stdin: " + e.getMessage(), e);
      }
      if (pw == null) {
        throw new InputException("no password: give it on the first line of stdin or in --password-env VAR");
      }
    }
    if (pw.isEmpty()) {
      throw new InputException("the password for " + user + " is empty");
    }
    return pw.toCharArray();
  }
}
