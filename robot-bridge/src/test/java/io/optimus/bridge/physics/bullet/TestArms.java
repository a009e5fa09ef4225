package io.optimus.bridge.physics.bullet;

/** Small URDFs for physics tests: one arm on a fixed base, with a given effort limit and link inertial. */
final class TestArms {
  private TestArms() {}

  /** A 0.3 m, 1 kg link on a y-axis shoulder 1.5 m above the floor; q = pi/2 holds it horizontal. */
  static String pendulum(double effort) {
    return arm("1", "0.0075", "0 1 0", effort);
  }

  static String arm(String mass, String ixx, String axis, double effort) {
    return """
        <robot name="arm">
          <link name="base"><inertial><mass value="5"/><inertia ixx="0.1" ixy="0" ixz="0" iyy="0.1" iyz="0" izz="0.1"/></inertial></link>
          <joint name="shoulder" type="revolute"><parent link="base"/><child link="upper"/><origin xyz="0 0 0.5"/><axis xyz="%s"/>
            <limit lower="-3" upper="3" velocity="5" effort="%s"/></joint>
          <link name="upper"><inertial><origin xyz="0 0 -0.15"/><mass value="%s"/><inertia ixx="%s" ixy="0" ixz="0" iyy="0.0075" iyz="0" izz="0.001"/></inertial>
            <collision><origin xyz="0 0 -0.15"/><geometry><capsule radius="0.03" length="0.24"/></geometry></collision></link>
        </robot>""".formatted(axis, effort, mass, ixx);
  }
}
