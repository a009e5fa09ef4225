package io.optimus.motion.bench;

import io.optimus.motion.kinematics.Kinematics;
import io.optimus.motion.kinematics.KinematicsData;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Forward kinematics of every link (target for optimus: <= 5 us), at a random non-zero configuration. */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ForwardKinematicsBenchmark {
  @Param({BenchRobots.OPTIMUS, BenchRobots.G1})
  public String robot;

  private Kinematics kin;
  private KinematicsData d;

  @Setup
  public void setUp() {
    kin = new Kinematics(BenchRobots.load(robot));
    d = kin.newData();
    Random rnd = new Random(1);
    for (int i = 0; i < d.q.length; i++) {
      d.q[i] = rnd.nextGaussian() * 0.3; // as optimus bench ik
    }
  }

  @Benchmark
  public KinematicsData forward() {
    kin.forward(d);
    return d;
  }
}
