package io.optimus.motion.cli;

import io.optimus.cli.GroupCommand;
import io.optimus.cli.RobotOption;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.optimus.common.InputException;
import io.optimus.common.InputFiles;
import io.optimus.common.Json;
import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.kinematics.Kinematics;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.retarget.FrameTask;
import io.optimus.motion.retarget.IkSettings;
import io.optimus.motion.retarget.WholeBodyIk;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code optimus robot}: robot model info, forward and inverse kinematics, as JSON on stdout. */
@Command(name = "robot", mixinStandardHelpOptions = true,
    description = "Robot models: info, forward and inverse kinematics (JSON on stdout).",
    subcommands = {RobotCommand.Info.class, RobotCommand.Fk.class, RobotCommand.Ik.class})
public final class RobotCommand extends GroupCommand {

  static void print(CommandSpec spec, Object value) {
    PrintWriter out = spec.commandLine().getOut();
    out.println(Json.write(value));
    out.flush();
  }

  static Map<String, Object> pose(Pose3 p) {
    Map<String, Object> m = new LinkedHashMap<>();
    Vec3 t = p.translation();
    Quat q = p.rotation().w() < 0 ? p.rotation().negate() : p.rotation();
    m.put("p", new double[] {t.x(), t.y(), t.z()});
    m.put("q", new double[] {q.w(), q.x(), q.y(), q.z()});
    return m;
  }

  /** A JSON object given inline or as a file path. */
  static JsonNode readJsonArg(String what, String arg) {
    String text = arg;
    String source = what;
    String trimmed = arg.trim();
    if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) {
      Path p = Path.of(arg);
      if (Files.notExists(p)) {
        throw new InputException(what + ": '" + arg + "' is neither JSON nor an existing file");
      }
      text = new String(InputFiles.read(p, 16 << 20, "JSON arguments"), java.nio.charset.StandardCharsets.UTF_8);
      source = p.toString();
    }
    try {
      JsonNode n = Json.MAPPER.readTree(text);
      if (n == null || !n.isObject()) {
        throw new InputException(source + ": expected a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new InputException(source + ": not valid JSON: " + e.getOriginalMessage());
    }
  }

  /** Joint positions by name into q; unknown names and non-numbers are input errors. */
  static void readQ(RobotModel model, JsonNode obj, String source, double[] q) {
    for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      int i = model.qIndex(e.getKey());
      if (i < 0) {
        throw new InputException(source + ": no moving joint '" + e.getKey() + "' in " + model.name());
      }
      if (!e.getValue().isNumber() || !Double.isFinite(e.getValue().asDouble())) {
        throw new InputException(source + ": joint '" + e.getKey() + "': " + e.getValue() + " is not a finite number");
      }
      q[i] = e.getValue().asDouble();
    }
  }

  @Command(name = "info", mixinStandardHelpOptions = true,
      description = "DOF count, joints with type, limits, parent and child, links, total mass.")
  static final class Info implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin RobotOption robot;

    @Override
    public Integer call() {
      RobotModel m = robot.load();
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("name", m.name());
      out.put("dof", m.dof());
      out.put("independent_dof", m.independentDof());
      out.put("root", m.root().name());
      out.put("floating_root", m.hasFloatingRoot());
      out.put("total_mass", m.totalMass());
      out.put("model_hash", m.modelHash());
      List<Map<String, Object>> joints = new ArrayList<>();
      for (Joint j : m.joints()) {
        Map<String, Object> jm = new LinkedHashMap<>();
        jm.put("name", j.name());
        jm.put("type", j.type().urdfName());
        jm.put("parent", j.parent());
        jm.put("child", j.child());
        jm.put("q_index", j.qIndex());
        if (j.type().moves()) {
          jm.put("axis", new double[] {j.axis().x(), j.axis().y(), j.axis().z()});
          Map<String, Object> lim = new LinkedHashMap<>();
          if (j.limits().hasPositionLimits()) {
            lim.put("lower", j.limits().lower());
            lim.put("upper", j.limits().upper());
          }
          lim.put("velocity", j.limits().velocity());
          if (Double.isFinite(j.limits().effort())) {
            lim.put("effort", j.limits().effort());
          }
          jm.put("limits", lim);
          jm.put("group", j.group());
        }
        if (j.isMimic()) {
          jm.put("mimic", Map.of("joint", j.mimic().joint(), "multiplier", j.mimic().multiplier(), "offset", j.mimic().offset()));
        }
        joints.add(jm);
      }
      out.put("joints", joints);
      out.put("links", m.links().stream().map(l -> l.name()).toList());
      print(spec, out);
      return 0;
    }
  }

  @Command(name = "fk", mixinStandardHelpOptions = true,
      description = "World pose of every link {\"link\": {\"p\": [x,y,z], \"q\": [w,x,y,z]}}; root at identity, "
          + "joints not given at 0, mimic joints following their source.")
  static final class Fk implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin RobotOption robot;

    @Option(names = "--q", defaultValue = "{}", description = "joint positions: JSON {\"joint\": rad, ...} or a JSON file")
    String q;

    @Override
    public Integer call() {
      RobotModel m = robot.load();
      Kinematics kin = new Kinematics(m);
      KinematicsData d = kin.newData();
      readQ(m, readJsonArg("--q", q), "--q", d.q);
      kin.forward(d);
      Map<String, Object> out = new LinkedHashMap<>();
      for (int l = 0; l < m.links().size(); l++) {
        out.put(m.links().get(l).name(), pose(d.linkPose(l)));
      }
      print(spec, out);
      return 0;
    }
  }

  @Command(name = "ik", mixinStandardHelpOptions = true,
      description = {"Joint solution and residual errors for frame targets (root fixed at identity).",
          "Targets file: {\"targets\": [{\"link\": \"left_palm\", \"p\": [x,y,z], \"q\": [w,x,y,z],",
          "  \"position_weight\": 1, \"orientation_weight\": 0.3}, ...], \"q0\": {\"joint\": rad}}",
          "(p or q may be omitted; q0 is the start and posture, default all 0)."})
  static final class Ik implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin RobotOption robot;

    @Option(names = "--targets", required = true, description = "JSON file (or inline JSON) with the targets")
    String targets;

    @Option(names = "--iterations", defaultValue = "400", description = "maximum solver iterations (default ${DEFAULT-VALUE})")
    int iterations;

    @Override
    public Integer call() {
      RobotModel m = robot.load();
      JsonNode spec0 = readJsonArg("--targets", targets);
      Kinematics kin = new Kinematics(m);
      WholeBodyIk ik = new WholeBodyIk(kin, j -> true, false, IkSettings.DEFAULT);
      KinematicsData d = kin.newData();
      if (spec0.has("q0")) {
        readQ(m, spec0.get("q0"), "--targets q0", d.q);
      }
      m.normalize(d.q);
      ik.setPosture(d.q);
      JsonNode list = spec0.get("targets");
      if (list == null || !list.isArray() || list.isEmpty()) {
        throw new InputException("--targets: expected a non-empty \"targets\" array");
      }
      List<FrameTask> tasks = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        JsonNode t = list.get(i);
        String where = "--targets targets[" + i + "]";
        String link = t.path("link").asText("");
        if (m.linkIndex(link) < 0) {
          throw new InputException(where + ": no link '" + link + "' in " + m.name());
        }
        double[] p = t.has("p") ? numbers(t.get("p"), 3, where + ".p") : null;
        double[] q = t.has("q") ? numbers(t.get("q"), 4, where + ".q") : null;
        if (p == null && q == null) {
          throw new InputException(where + ": needs \"p\" and/or \"q\"");
        }
        if (q != null && Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2] + q[3] * q[3]) < 1e-9) {
          throw new InputException(where + ".q: a zero quaternion is not a rotation");
        }
        FrameTask task = ik.addFrameTask(link + "#" + i, link, p == null ? 0 : t.path("position_weight").asDouble(1),
            q == null ? 0 : t.path("orientation_weight").asDouble(0.3));
        task.setMaxErrors(0.05, 0.3);
        if (p != null) {
          task.setTargetPosition(p[0], p[1], p[2]);
        }
        if (q != null) {
          task.setTargetOrientation(q[0], q[1], q[2], q[3]);
        }
        tasks.add(task);
      }
      int done = 0;
      double last = Double.POSITIVE_INFINITY;
      ik.begin(d, 0.05);
      for (; done < iterations; done++) {
        ik.begin(d, 0.05); // each iteration may move up to velocity limit x 50 ms
        double cost = ik.iterate(d);
        if (cost < 1e-14 || (done > 50 && last - cost < 1e-12 * Math.max(1, cost))) {
          done++;
          break;
        }
        last = cost;
      }
      kin.forward(d);
      Map<String, Object> out = new LinkedHashMap<>();
      Map<String, Double> q = new LinkedHashMap<>();
      for (Joint j : m.dofJoints()) {
        q.put(j.name(), d.q[j.qIndex()]);
      }
      out.put("q", q);
      List<Map<String, Object>> residuals = new ArrayList<>();
      for (int i = 0; i < tasks.size(); i++) {
        FrameTask t = tasks.get(i);
        Pose3 got = d.linkPose(t.link());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("link", m.links().get(t.link()).name());
        if (t.hasPositionTarget() && t.positionWeight() > 0) {
          r.put("position_error_m", got.translation().distance(t.targetPosition()));
        }
        JsonNode qt = list.get(i).get("q");
        if (qt != null) {
          Quat target = new Quat(qt.get(0).asDouble(), qt.get(1).asDouble(), qt.get(2).asDouble(), qt.get(3).asDouble()).normalized();
          r.put("orientation_error_deg", Math.toDegrees(target.angleTo(got.rotation())));
        }
        r.put("achieved", pose(got));
        residuals.add(r);
      }
      out.put("residuals", residuals);
      out.put("iterations", done);
      print(spec, out);
      return 0;
    }

    private static double[] numbers(JsonNode n, int count, String where) {
      if (!n.isArray() || n.size() != count) {
        throw new InputException(where + ": expected an array of " + count + " numbers");
      }
      double[] v = new double[count];
      for (int i = 0; i < count; i++) {
        if (!n.get(i).isNumber() || !Double.isFinite(n.get(i).asDouble())) {
          throw new InputException(where + "[" + i + "]: " + n.get(i) + " is not a finite number");
        }
        v[i] = n.get(i).asDouble();
      }
      return v;
    }
  }
}
