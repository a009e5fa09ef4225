package io.optimus.cli;

import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * For commands that join a broker somebody else runs (the operator client, a deployed policy) and use
 * the bridge's {@link MqttOptions} (same --broker, --username, --password-env, --ca,
 * --insecure-hostname everywhere): without --broker they connect to {@link #DEFAULT_BROKER}, where
 * {@code optimus bridge} starts its embedded broker, rather than starting one themselves. Rewrites
 * only the default and the help text of --broker; parsing still fills the mixin.
 */
public final class JoinsRunningBroker implements IModelTransformer {
  public static final String DEFAULT_BROKER = "tcp://127.0.0.1:1883";

  @Override
  public CommandSpec transform(CommandSpec spec) {
    OptionSpec broker = spec.findOption("--broker");
    if (broker == null) {
      throw new IllegalStateException(spec.qualifiedName() + " has no --broker option: add @Mixin MqttOptions");
    }
    spec.remove(broker);
    spec.addOption(OptionSpec.builder(broker)
        .defaultValue(DEFAULT_BROKER)
        .description("MQTT 5 broker, tcp://HOST:PORT or ssl://HOST:PORT (default ${DEFAULT-VALUE}, where"
            + " `optimus bridge` runs its embedded broker).")
        .build());
    return spec;
  }
}
