package io.optimus.bridge.physics.bullet;

import com.jme3.bullet.MultiBody;
import com.jme3.bullet.MultiBodyLink;
import com.jme3.bullet.MultiBodySpace;
import com.jme3.bullet.PhysicsSpace;
import com.jme3.bullet.collision.ManifoldPoints;
import com.jme3.bullet.collision.PersistentManifolds;
import com.jme3.bullet.collision.PhysicsCollisionObject;
import com.jme3.bullet.collision.shapes.BoxCollisionShape;
import com.jme3.bullet.collision.shapes.CapsuleCollisionShape;
import com.jme3.bullet.collision.shapes.CollisionShape;
import com.jme3.bullet.collision.shapes.CompoundCollisionShape;
import com.jme3.bullet.collision.shapes.CylinderCollisionShape;
import com.jme3.bullet.collision.shapes.SphereCollisionShape;
import com.jme3.bullet.objects.MultiBodyCollider;
import com.jme3.bullet.objects.PhysicsRigidBody;
import com.jme3.math.Quaternion;
import com.jme3.math.Transform;
import com.jme3.math.Vector3f;
import io.optimus.motion.model.RobotRig;
import io.optimus.bridge.physics.ContactEvent;
import io.optimus.bridge.physics.ObjectSpec;
import io.optimus.bridge.physics.PhysicsScene;
import io.optimus.bridge.physics.PhysicsWorld;
import io.optimus.bridge.physics.RigidBodyTree;
import io.optimus.bridge.physics.RigidBodyTree.Body;
import io.optimus.bridge.physics.RigidBodyTree.BodyShape;
import io.optimus.common.InputException;
import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Rotations;
import io.optimus.motion.geometry.Vec3;
import io.optimus.motion.kinematics.Kinematics;
import io.optimus.motion.kinematics.KinematicsData;
import io.optimus.motion.model.Geometry;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.JointType;
import io.optimus.motion.model.RobotModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import com.simsilica.mathd.Quatd;
import com.simsilica.mathd.Vec3d;

/**
 * The robot as a Featherstone {@link MultiBody} (fixed base: the pelvis on its stand) in a Bullet
 * {@link MultiBodySpace} with the floor, the table and box objects as rigid bodies.
 *
 * <p>Drives: Libbulletjme exposes neither Bullet's multibody joint motors nor its joint-limit
 * constraints, so each joint is driven by an explicit PD torque ({@link MultiBodyLink#addJointTorque})
 * every substep: the position error sets a velocity goal clamped to the velocity limit, the torque
 * tracks it and is clamped to the effort limit; past a position limit a stiff spring-damper (the
 * mechanical stop, not limited by the drive) pushes back. Gains come from each joint's effective
 * inertia at the initial pose, rotor inertia included ({@link #armature}), for a bandwidth the substep
 * integrates stably ({@link #bandwidth}). Mimic joints are driven to follow their source.
 *
 * <p>Self-collision: every pair of links collides except parent-child pairs (Bullet's
 * disable-parent-collision flag) and links clustered with pairs already touching (within 2 mm) at the
 * initial pose, e.g. neighbouring finger roots, the thumb base inside the palm, the head in the torso
 * capsule ({@link #designedContacts}). Sets Libbulletjme's default collision margin to 1 mm for the
 * whole JVM (its 4 cm default would swallow a 3 cm cube).
 */
public final class BulletWorld implements PhysicsWorld {
  /** Collision margin of every shape (m). */
  static final float MARGIN = 0.001f;
  /** Pairs this close at the initial pose are taken as designed-in contacts and never reported (m). */
  private static final double INITIAL_TOUCH = 0.002;
  /** A manifold point counts as touching at this separation or less (m). */
  private static final double TOUCH = 1e-4;
  private static final double HAND_FRICTION = 1.0;
  /**
   * Sequential-impulse iterations per substep (Bullet's default is 10). A cube held in the hook is
   * squeezed by saturated finger drives (2 N m each: 20-130 N of contact force on a 60 g cube); at 20
   * iterations the solver's residual let it creep along the still hand's fingers (about 1 cm in 1.3 s)
   * until a fingertip rolled over an edge and the squeeze flung it out at 0.7-1.9 m/s.
   */
  static final int SOLVER_ITERATIONS = 40;
  /**
   * Bullet's contact error reduction (contactErp, m_erp2; default 0.2): the share of a contact's
   * penetration removed per substep. Below the split-impulse threshold's 4 cm, and always for the
   * multibody's contacts, the removal is solved as velocity: 0.2 of a 1 mm squeeze per 1 ms substep is
   * 0.2 m/s, which pumped the squeezed cube. At 0.05 a millimetre still goes in about 20 ms (5 ticks); a
   * cube resting on the table sinks 0.2 mm instead of 0.05 (g h^2 / erp).
   */
  static final float CONTACT_ERP = 0.05f;
  private static final double ROBOT_FRICTION = 0.5;
  private static final double FLOOR_FRICTION = 0.8;

  enum Category { ROBOT, OBJECT, TABLE, FLOOR }

  /** Names every collision object, to turn manifolds into contact events. */
  record Tag(int id, Category category, String name) {}

  private final RobotModel model;
  private final PhysicsScene scene;
  private final RigidBodyTree tree;
  private final MultiBodySpace space;
  private final MultiBody robot;
  private final MultiBodyLink[] linkOfBody;
  /** Per q index: its Bullet link, mimic source (-1 if none), gains and limits. */
  private final MultiBodyLink[] dofLink;
  private final int[] mimicSource;
  /** linkPose scratch (the world is stepped and read from one thread). */
  private final double[] bodyQuat = new double[4];
  private final double[] linkQuat = new double[4];
  private final double[] mimicMul;
  private final double[] mimicOff;
  private final double[] lower;
  private final double[] upper;
  private final double[] vmax;
  private final double[] effort;
  private final double[] kp;
  private final double[] kd;
  private final double[] kStop;
  private final double[] dStop;
  private final double[] target;
  private final double[] tau;
  private boolean limp;
  /** Per model link: its pose in its body's centre-of-mass frame (position, then w x y z). */
  private final double[] linkInCom;
  private final ObjectSpec[] specs;
  private final PhysicsRigidBody[] objects;
  private final double[] bodyMass;
  private final Tag[] tags;
  private final float substep;
  private final long tickNs;
  private final List<Consumer<ContactEvent>> listeners = new CopyOnWriteArrayList<>();
  /** Pairs in contact after the last substep and during this one, as sorted pair keys (no boxing). */
  private long[] touching = new long[64];
  private int touchingCount;
  private long[] nextTouching = new long[64];
  private final Set<Long> designed = new HashSet<>();
  private long ticks;
  private long timeNs;
  // scratch, reused every call (single-threaded)
  private final Transform tmpTransform = new Transform();
  private final Vector3f tmpV = new Vector3f();
  private final Quaternion tmpQ = new Quaternion();
  private final Vec3d tmpVd = new Vec3d();
  private final Quatd tmpQd = new Quatd();
  private final double[] prevCom;
  private final double[] comNow;
  private boolean prevComValid;
  private double standLift;

  BulletWorld(RobotModel model, PhysicsScene scene, double[] initialQ) {
    BulletNatives.load();
    if (initialQ.length != model.dof()) {
      throw new InputException("initial pose has " + initialQ.length + " joints, model '" + model.name() + "' has "
          + model.dof());
    }
    this.model = model;
    this.scene = scene;
    this.tree = new RigidBodyTree(model);
    this.substep = (float) (scene.tickSeconds() / scene.substeps());
    this.tickNs = Math.round(1e9 / scene.controlHz());
    CollisionShape.setDefaultMargin(MARGIN);
    space = new MultiBodySpace(new Vector3f(-20, -20, -20), new Vector3f(20, 20, 20), PhysicsSpace.BroadphaseType.DBVT);
    space.setGravity(new Vector3f(0, 0, (float) -scene.gravity()));
    space.getSolverInfo().setNumIterations(SOLVER_ITERATIONS);
    space.getSolverInfo().setContactErp(CONTACT_ERP);
    space.useDeterministicDispatch(true);

    List<Body> bodies = tree.bodies();
    int nb = bodies.size();
    specs = scene.objects().toArray(new ObjectSpec[0]);
    tags = new Tag[nb + specs.length + 2];
    bodyMass = new double[nb];
    prevCom = new double[3 * nb];
    comNow = new double[3 * nb];
    Body root = bodies.get(0);
    robot = new MultiBody(nb - 1, (float) root.mass(), vec(root.principal()), true, false);
    linkOfBody = new MultiBodyLink[nb];
    for (int b = 0; b < nb; b++) {
      Body body = bodies.get(b);
      bodyMass[b] = body.mass();
      tags[b] = new Tag(b, Category.ROBOT, body.name());
      if (b == 0) {
        continue;
      }
      Joint j = body.joint();
      Pose3 jointInParent = tree.poseInBody(model.linkIndex(j.parent())).times(j.origin());
      Pose3 offsetInA = bodies.get(body.parent()).inertialFrame().inverse().times(jointInParent);
      Pose3 offsetInB = body.inertialFrame().inverse();
      Quat parentToThis = offsetInB.rotation().times(offsetInA.rotation().inverse()).normalized();
      Vec3 axis = offsetInB.rotation().rotate(j.axis().normalized());
      MultiBodyLink parent = body.parent() == 0 ? null : linkOfBody[body.parent()];
      float rotor = (float) armature(j);
      Vector3f inertia = vec(body.principal()).add(rotor, rotor, rotor);
      if (j.type() == JointType.PRISMATIC) {
        linkOfBody[b] = robot.configurePrismaticLink((float) body.mass(), inertia, parent, quat(parentToThis), vec(axis),
            vec(offsetInA.translation()), vec(offsetInB.translation().times(-1)), true);
      } else {
        linkOfBody[b] = robot.configureRevoluteLink((float) body.mass(), inertia, parent, quat(parentToThis), vec(axis),
            vec(offsetInA.translation()), vec(offsetInB.translation().times(-1)), true);
      }
    }
    // One source of truth for where the robot stands: the rig's standing pose (feet on the floor, centred
    // on the origin), which the camera, the hand samples and the published base pose use too.
    RobotRig rig = new RobotRig(model);
    KinematicsData standing = rig.kinematics().newData();
    System.arraycopy(initialQ, 0, standing.q, 0, initialQ.length);
    rig.forwardStanding(standing);
    Pose3 baseCom = Pose3.of(standing.basePosition[0], standing.basePosition[1],
        standing.basePosition[2] + scene.standClearance()).times(root.inertialFrame());
    robot.setBaseTransform(new Transform(vec(baseCom.translation()), quat(baseCom.rotation())));
    for (int b = 0; b < nb; b++) {
      Body body = bodies.get(b);
      if (body.shapes().isEmpty()) {
        continue;
      }
      CompoundCollisionShape shape = new CompoundCollisionShape(body.shapes().size());
      Pose3 comInv = body.inertialFrame().inverse();
      for (BodyShape s : body.shapes()) {
        Pose3 p = comInv.times(s.pose());
        shape.addChildShape(shape(s.geometry()), new Transform(vec(p.translation()), quat(p.rotation())));
      }
      MultiBodyCollider c = b == 0 ? robot.addBaseCollider(shape) : linkOfBody[b].addCollider(shape);
      c.setFriction((float) (isHand(body.name()) ? HAND_FRICTION : ROBOT_FRICTION));
      c.setUserObject(tags[b]);
    }
    space.addMultiBody(robot);

    int n = model.dof();
    dofLink = new MultiBodyLink[n];
    mimicSource = new int[n];
    mimicMul = new double[n];
    mimicOff = new double[n];
    lower = new double[n];
    upper = new double[n];
    vmax = new double[n];
    effort = new double[n];
    kp = new double[n];
    kd = new double[n];
    kStop = new double[n];
    dStop = new double[n];
    target = new double[n];
    tau = new double[n];
    double[] inertia = effectiveInertia(initialQ);
    double omega = bandwidth(substep);
    for (Joint j : model.dofJoints()) {
      int i = j.qIndex();
      dofLink[i] = linkOfBody[tree.bodyOfLink(model.linkIndex(j.child()))];
      mimicSource[i] = j.isMimic() ? model.qIndex(j.mimic().joint()) : -1;
      mimicMul[i] = j.isMimic() ? j.mimic().multiplier() : 0;
      mimicOff[i] = j.isMimic() ? j.mimic().offset() : 0;
      boolean bounded = j.limits().hasPositionLimits() && j.type() != JointType.CONTINUOUS;
      lower[i] = bounded ? j.limits().lower() : Double.NEGATIVE_INFINITY;
      upper[i] = bounded ? j.limits().upper() : Double.POSITIVE_INFINITY;
      vmax[i] = Double.isFinite(j.limits().velocity()) && j.limits().velocity() > 0 ? j.limits().velocity() : 10;
      effort[i] = Double.isFinite(j.limits().effort()) && j.limits().effort() > 0 ? j.limits().effort() : 100;
      kp[i] = inertia[i] * omega * omega;
      kd[i] = 2 * inertia[i] * omega;
      kStop[i] = 3 * kp[i];
      dStop[i] = 2 * Math.sqrt(kStop[i] * inertia[i]);
    }
    linkInCom = new double[7 * model.links().size()];
    for (int l = 0; l < model.links().size(); l++) {
      Pose3 p = bodies.get(tree.bodyOfLink(l)).inertialFrame().inverse().times(tree.poseInBody(l));
      put(p, linkInCom, 7 * l);
    }

    PhysicsRigidBody floor = staticBox(5, 5, 0.5, 0, 0, -0.5, FLOOR_FRICTION);
    tags[nb + specs.length + 1] = new Tag(nb + specs.length + 1, Category.FLOOR, "floor");
    floor.setUserObject(tags[nb + specs.length + 1]);
    PhysicsRigidBody table = staticBox((scene.tableMaxX() - scene.tableMinX()) / 2, (scene.tableMaxY() - scene.tableMinY()) / 2,
        0.02, (scene.tableMaxX() + scene.tableMinX()) / 2, (scene.tableMaxY() + scene.tableMinY()) / 2,
        scene.tableTop() - 0.02, scene.tableFriction());
    tags[nb + specs.length] = new Tag(nb + specs.length, Category.TABLE, "table");
    table.setUserObject(tags[nb + specs.length]);
    objects = new PhysicsRigidBody[specs.length];
    for (int k = 0; k < specs.length; k++) {
      ObjectSpec s = specs[k];
      PhysicsRigidBody o = new PhysicsRigidBody(
          new BoxCollisionShape((float) (s.sx() / 2), (float) (s.sy() / 2), (float) (s.sz() / 2)), (float) s.mass());
      o.setFriction((float) s.friction());
      o.setRestitution(0.3f);
      o.setRollingFriction(0.001f);
      o.setEnableSleep(false); // a resting cube must rest by physics, not by being frozen
      double edge = Math.min(s.sx(), Math.min(s.sy(), s.sz()));
      o.setCcdMotionThreshold((float) (edge * 0.25));
      o.setCcdSweptSphereRadius((float) (edge * 0.2));
      tags[nb + k] = new Tag(nb + k, Category.OBJECT, s.name());
      o.setUserObject(tags[nb + k]);
      objects[k] = o;
      space.addCollisionObject(o);
      placeObject(k, new double[] {scene.tableMinX() + 0.1 + 0.08 * k, scene.tableMaxY() - 0.1, scene.tableTop() + s.sz() / 2},
          new double[] {1, 0, 0, 0});
    }
    resetJoints(initialQ);
    ignoreInitialTouches();
  }

  /**
   * Reflected rotor inertia of a joint's actuator (kg m^2), scaled by its effort rating: 1e-3 s^2 per
   * N m (a 2 N m finger drive 0.002, an 80 N m shoulder 0.08; MuJoCo models call it armature). It
   * dominates light finger links as it does on real geared hands, and it is what lets explicit PD
   * torques run stably at 100 rad/s with 1 ms substeps. Libbulletjme cannot add inertia about the
   * joint axis only, so it is added to the moved link isotropically.
   */
  static double armature(Joint j) {
    double effort = j.limits().effort();
    return 1e-3 * (Double.isFinite(effort) && effort > 0 ? effort : 100);
  }

  /** PD bandwidth (rad/s) the explicit substep integrates stably: 2*omega*h = 0.2 leaves room for coupling. */
  static double bandwidth(double substepSeconds) {
    return Math.min(100, 0.1 / substepSeconds);
  }

  private static boolean isHand(String link) {
    return link.contains("hand") || link.contains("thumb") || link.contains("index") || link.contains("middle")
        || link.contains("ring") || link.contains("little") || link.contains("finger") || link.contains("palm");
  }

  private PhysicsRigidBody staticBox(double hx, double hy, double hz, double x, double y, double z, double friction) {
    PhysicsRigidBody b = new PhysicsRigidBody(new BoxCollisionShape((float) hx, (float) hy, (float) hz),
        PhysicsRigidBody.massForStatic);
    b.setPhysicsLocationDp(new Vec3d(x, y, z));
    b.setFriction((float) friction);
    b.setRestitution(0.5f);
    space.addCollisionObject(b);
    return b;
  }

  private static CollisionShape shape(Geometry g) {
    CollisionShape s = switch (g) {
      case Geometry.Box b -> new BoxCollisionShape((float) (b.size().x() / 2), (float) (b.size().y() / 2),
          (float) (b.size().z() / 2));
      case Geometry.Sphere s1 -> new SphereCollisionShape((float) s1.radius());
      case Geometry.Cylinder c -> new CylinderCollisionShape((float) c.radius(), (float) c.length(), PhysicsSpace.AXIS_Z);
      case Geometry.Capsule c -> new CapsuleCollisionShape((float) c.radius(), (float) c.length(), PhysicsSpace.AXIS_Z);
      case Geometry.Mesh m -> throw new IllegalStateException("meshes are replaced by fitted capsules");
    };
    return s;
  }

  /**
   * Each joint's inertia about its axis with everything it moves locked (composite rigid body) at
   * {@code q}: what its PD gains are scaled by.
   */
  private double[] effectiveInertia(double[] q) {
    Kinematics kin = new Kinematics(model);
    KinematicsData d = kin.newData();
    System.arraycopy(q, 0, d.q, 0, q.length);
    kin.forward(d);
    List<Body> bodies = tree.bodies();
    double[] out = new double[model.dof()];
    for (Joint j : model.dofJoints()) {
      int jl = model.linkIndex(j.child());
      Pose3 jointPose = d.linkPose(jl);
      Vec3 a = jointPose.rotation().rotate(j.axis().normalized());
      Vec3 p = jointPose.translation();
      int top = tree.bodyOfLink(jl);
      double sum = 0;
      for (int b = 0; b < bodies.size(); b++) {
        if (!descends(b, top)) {
          continue;
        }
        Body body = bodies.get(b);
        Pose3 com = d.linkPose(body.link()).times(body.inertialFrame());
        Vec3 al = com.rotation().inverse().rotate(a);
        Vec3 m = body.principal();
        double rot = al.x() * al.x() * m.x() + al.y() * al.y() * m.y() + al.z() * al.z() * m.z()
            + (body.joint() == null ? 0 : armature(body.joint()));
        if (j.type() == JointType.PRISMATIC) {
          sum += body.mass();
        } else {
          Vec3 r = com.translation().minus(p).cross(a);
          sum += rot + body.mass() * r.dot(r);
        }
      }
      out[j.qIndex()] = Math.max(sum, 1e-7);
    }
    return out;
  }

  private boolean descends(int b, int ancestor) {
    for (int x = b; x >= 0; x = tree.bodies().get(x).parent()) {
      if (x == ancestor) {
        return true;
      }
    }
    return false;
  }

  /**
   * Finds link pairs already touching at the initial pose (designed-in: a head sunk in the torso
   * capsule, finger roots side by side) and stops them colliding. Bullet's multibody colliders ignore
   * per-object ignore lists (btMultiBodyLinkCollider overrides the check), so touching links are joined
   * into clusters, each cluster gets one of the 15 spare collision-group bits and does not collide with
   * itself; everything else still collides with everything.
   */
  private void ignoreInitialTouches() {
    // The first step only moves the colliders from where they were built (all piled at the origin) to
    // the pose, with collisions off: colliding that pile costs tens of seconds. The next ones collide.
    setRobotCollisions(false);
    space.update(1e-7f, 0);
    setRobotCollisions(true);
    for (int k = 0; k < 2; k++) {
      space.update(1e-7f, 0);
    }
    liftClearOfTheFloor();
    int nb = linkOfBody.length;
    int[] cluster = new int[nb];
    for (int b = 0; b < nb; b++) {
      cluster[b] = b;
    }
    for (long m : space.listManifoldIds()) {
      PhysicsCollisionObject a = PhysicsCollisionObject.findInstance(PersistentManifolds.getBodyAId(m));
      PhysicsCollisionObject b = PhysicsCollisionObject.findInstance(PersistentManifolds.getBodyBId(m));
      if (!(a.getUserObject() instanceof Tag ta) || !(b.getUserObject() instanceof Tag tb)) {
        continue;
      }
      boolean touching = PersistentManifolds.countPoints(m) > 0 && minDistance(m) <= INITIAL_TOUCH;
      boolean robotFloor = ta.category() == Category.ROBOT && tb.category() == Category.FLOOR
          || ta.category() == Category.FLOOR && tb.category() == Category.ROBOT;
      if (touching && robotFloor) {
        designed.add(key(ta.id(), tb.id())); // the soles standing on the floor: not an event
        continue;
      }
      if (ta.category() != Category.ROBOT || tb.category() != Category.ROBOT) {
        continue;
      }
      if (touching) {
        designed.add(key(ta.id(), tb.id()));
        cluster[find(cluster, ta.id())] = find(cluster, tb.id());
      }
    }
    int[] bitOfRoot = new int[nb];
    int nextBit = 1;
    for (long k : designed) {
      if ((int) k >= nb) {
        continue; // a sole on the floor: no collision group needed
      }
      int root = find(cluster, (int) (k >>> 32));
      if (bitOfRoot[root] == 0) {
        // more clusters than bits: the extra ones share the last bit (they then skip each other too)
        bitOfRoot[root] = 1 << Math.min(nextBit++, 15);
      }
    }
    for (MultiBodyCollider c : robot.listColliders()) {
      Tag t = (Tag) c.getUserObject();
      int bit = bitOfRoot[find(cluster, t.id())];
      if (bit != 0) {
        c.setCollisionGroup(bit);
        c.setCollideWithGroups(0xFFFF & ~bit);
      }
    }
    // Groups filter new broadphase pairs only: re-adding the robot drops the pairs found above.
    space.removeMultiBody(robot);
    space.addMultiBody(robot);
    resetJoints(target.clone());
    timeNs = 0;
  }

  /**
   * Robot colliders off among themselves (a group of their own, colliding with no group: only the
   * scenery may still touch them) or back to the default group colliding with all.
   */
  private void setRobotCollisions(boolean on) {
    for (MultiBodyCollider c : robot.listColliders()) {
      c.setCollisionGroup(on ? PhysicsCollisionObject.COLLISION_GROUP_01 : PhysicsCollisionObject.COLLISION_GROUP_16);
      c.setCollideWithGroups(on ? 0xFFFF : PhysicsCollisionObject.COLLISION_GROUP_NONE);
    }
    // Groups filter new broadphase pairs only: re-adding the robot rebuilds its pairs.
    space.removeMultiBody(robot);
    space.addMultiBody(robot);
  }

  /**
   * The stand puts the feet's reference frames on the floor; collision geometry reaching below them
   * (spheres or fitted capsules under a URDF's ankle frame) would start inside the floor, so the stand
   * is raised until every robot collider (its collision margin aside) clears it by the scene's stand
   * clearance. For the shipped robots nothing is raised: the soles rest on the floor, where the rig
   * stands them.
   */
  private void liftClearOfTheFloor() {
    double lowest = Double.POSITIVE_INFINITY;
    com.jme3.bounding.BoundingBox box = new com.jme3.bounding.BoundingBox();
    Vector3f min = new Vector3f();
    for (MultiBodyCollider c : robot.listColliders()) {
      lowest = Math.min(lowest, c.boundingBox(box).getMin(min).z);
    }
    double lift = scene.standClearance() - (lowest + MARGIN); // bounding boxes include the margin
    if (Double.isFinite(lift) && lift > 1e-4) {
      robot.baseTransform(tmpTransform);
      tmpTransform.getTranslation().z += (float) lift;
      robot.setBaseTransform(tmpTransform);
      standLift = lift;
    }
  }

  /** How far the stand was raised above the feet-on-the-floor height to clear the colliders (m). */
  public double standLift() {
    return standLift;
  }

  private static int find(int[] parent, int x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }

  private static double minDistance(long manifold) {
    int n = PersistentManifolds.countPoints(manifold);
    double best = Double.POSITIVE_INFINITY;
    for (int k = 0; k < n; k++) {
      best = Math.min(best, ManifoldPoints.getDistance1(PersistentManifolds.getPointId(manifold, k)));
    }
    return best;
  }

  private static long key(int a, int b) {
    return a < b ? ((long) a << 32) | b : ((long) b << 32) | a;
  }

  @Override
  public RobotModel model() {
    return model;
  }

  @Override
  public PhysicsScene scene() {
    return scene;
  }

  /** The bodies the engine simulates (merged fixed links, fitted capsules). */
  public RigidBodyTree tree() {
    return tree;
  }

  @Override
  public long timeNs() {
    return timeNs;
  }

  @Override
  public void command(double[] position) {
    if (position == null) {
      limp = true;
      return;
    }
    limp = false;
    for (int i = 0; i < target.length; i++) {
      double p = position[i];
      target[i] = Double.isNaN(p) ? Double.NaN : (p < lower[i] ? lower[i] : (p > upper[i] ? upper[i] : p));
    }
  }

  @Override
  public void step() {
    int n = scene.substeps();
    for (int s = 1; s <= n; s++) {
      drive();
      space.update(substep, 0);
      scanContacts(timeNs + tickNs * s / n);
    }
    ticks++;
    timeNs = ticks * tickNs;
  }

  private void drive() {
    for (int i = 0; i < dofLink.length; i++) {
      MultiBodyLink link = dofLink[i];
      double q = link.jointPosition(0);
      double v = link.jointVelocity(0);
      double t = 0;
      double goal = mimicSource[i] >= 0 ? target[mimicSource[i]] : target[i];
      if (!limp && !Double.isNaN(goal)) {
        goal = target[i];
        if (mimicSource[i] >= 0) {
          goal = mimicMul[i] * target[mimicSource[i]] + mimicOff[i];
          goal = goal < lower[i] ? lower[i] : (goal > upper[i] ? upper[i] : goal);
        }
        double vGoal = kp[i] / kd[i] * (goal - q);
        vGoal = vGoal > vmax[i] ? vmax[i] : (vGoal < -vmax[i] ? -vmax[i] : vGoal);
        t = kd[i] * (vGoal - v);
        t = t > effort[i] ? effort[i] : (t < -effort[i] ? -effort[i] : t);
      }
      tau[i] = t;
      if (q > upper[i]) {
        t -= kStop[i] * (q - upper[i]) + dStop[i] * v;
      } else if (q < lower[i]) {
        t += kStop[i] * (lower[i] - q) - dStop[i] * v;
      }
      link.addJointTorque(0, (float) t);
    }
  }

  /** Emits an event for each pair that touches now and did not after the previous substep. */
  private void scanContacts(long nowNs) {
    int n = 0;
    for (long m : space.listManifoldIds()) { // Libbulletjme returns a fresh array: the one allocation per substep
      if (PersistentManifolds.countPoints(m) == 0) {
        continue;
      }
      double depth = minDistance(m);
      if (depth > TOUCH) {
        continue;
      }
      PhysicsCollisionObject a = PhysicsCollisionObject.findInstance(PersistentManifolds.getBodyAId(m));
      PhysicsCollisionObject b = PhysicsCollisionObject.findInstance(PersistentManifolds.getBodyBId(m));
      if (!(a.getUserObject() instanceof Tag ta) || !(b.getUserObject() instanceof Tag tb)) {
        continue;
      }
      long k = key(ta.id(), tb.id());
      if (seen(nextTouching, n, k)) {
        continue; // a compound pair can have several manifolds
      }
      if (Arrays.binarySearch(touching, 0, touchingCount, k) < 0 && !designed.contains(k)) {
        emit(nowNs, ta, tb, Math.max(0, -depth));
      }
      if (n == nextTouching.length) {
        nextTouching = Arrays.copyOf(nextTouching, 2 * n);
      }
      nextTouching[n++] = k;
    }
    Arrays.sort(nextTouching, 0, n);
    long[] swap = touching;
    touching = nextTouching;
    touchingCount = n;
    nextTouching = swap.length >= touching.length ? swap : new long[touching.length];
  }

  private static boolean seen(long[] keys, int n, long k) {
    for (int i = 0; i < n; i++) {
      if (keys[i] == k) {
        return true;
      }
    }
    return false;
  }

  private void emit(long nowNs, Tag a, Tag b, double depth) {
    if (listeners.isEmpty()) {
      return;
    }
    if (a.category().ordinal() > b.category().ordinal()) {
      Tag t = a;
      a = b;
      b = t;
    }
    ContactEvent.Kind kind = switch (a.category()) {
      case ROBOT -> switch (b.category()) {
        case ROBOT -> ContactEvent.Kind.ROBOT_SELF;
        case OBJECT -> ContactEvent.Kind.ROBOT_OBJECT;
        case TABLE -> ContactEvent.Kind.ROBOT_TABLE;
        case FLOOR -> ContactEvent.Kind.ROBOT_FLOOR;
      };
      case OBJECT -> switch (b.category()) {
        case OBJECT -> ContactEvent.Kind.OBJECT_OBJECT;
        case TABLE -> ContactEvent.Kind.OBJECT_TABLE;
        default -> ContactEvent.Kind.OBJECT_FLOOR;
      };
      default -> null;
    };
    if (kind == null) {
      return; // table on floor: scenery
    }
    ContactEvent e = new ContactEvent(nowNs, kind, a.name(), b.name(), depth);
    for (Consumer<ContactEvent> l : listeners) {
      l.accept(e);
    }
  }

  @Override
  public void readJoints(double[] position, double[] velocity, double[] effortOut) {
    for (int i = 0; i < dofLink.length; i++) {
      if (position != null) {
        position[i] = dofLink[i].jointPosition(0);
      }
      if (velocity != null) {
        velocity[i] = dofLink[i].jointVelocity(0);
      }
      if (effortOut != null) {
        effortOut[i] = tau[i];
      }
    }
  }

  @Override
  public void resetJoints(double[] q) {
    for (int i = 0; i < dofLink.length; i++) {
      double p = q[i];
      if (!Double.isFinite(p)) {
        throw new InputException("joint '" + model.dofJoints().get(i).name() + "': initial position " + p
            + " is not finite");
      }
      p = p < lower[i] ? lower[i] : (p > upper[i] ? upper[i] : p);
      dofLink[i].setJointPosition(0, (float) p);
      dofLink[i].setJointVelocity(0, 0);
      target[i] = p;
    }
    limp = false;
    prevComValid = false;
  }

  @Override
  public void linkPose(int linkIndex, double[] position, double[] orientation) {
    int b = tree.bodyOfLink(linkIndex);
    if (b == 0) {
      robot.baseTransform(tmpTransform);
    } else {
      linkOfBody[b].worldTransform(tmpTransform);
    }
    Vector3f t = tmpTransform.getTranslation();
    Quaternion r = tmpTransform.getRotation();
    bodyQuat[0] = r.getW();
    bodyQuat[1] = r.getX();
    bodyQuat[2] = r.getY();
    bodyQuat[3] = r.getZ();
    int o = 7 * linkIndex;
    Rotations.quatRotate(bodyQuat, linkInCom[o], linkInCom[o + 1], linkInCom[o + 2], position);
    position[0] += t.x;
    position[1] += t.y;
    position[2] += t.z;
    System.arraycopy(linkInCom, o + 3, linkQuat, 0, 4);
    Rotations.quatMultiply(bodyQuat, linkQuat, orientation);
    // Bullet's float rotation drifts off unit length; not Rotations.quatNormalize, which would turn a
    // NaN state into the identity and hide it.
    double norm = Math.sqrt(orientation[0] * orientation[0] + orientation[1] * orientation[1]
        + orientation[2] * orientation[2] + orientation[3] * orientation[3]);
    for (int k = 0; k < 4; k++) {
      orientation[k] /= norm;
    }
  }

  @Override
  public boolean touching(int linkIndex, int objectIndex) {
    if (objectIndex < 0 || objectIndex >= objects.length) {
      throw new IndexOutOfBoundsException("object " + objectIndex + " of " + objects.length);
    }
    long k = key(tree.bodyOfLink(linkIndex), linkOfBody.length + objectIndex);
    return Arrays.binarySearch(touching, 0, touchingCount, k) >= 0;
  }

  @Override
  public int objectCount() {
    return objects.length;
  }

  @Override
  public ObjectSpec object(int index) {
    return specs[index];
  }

  @Override
  public void objectPose(int index, double[] position, double[] orientation) {
    objects[index].getPhysicsLocationDp(tmpVd);
    position[0] = tmpVd.x;
    position[1] = tmpVd.y;
    position[2] = tmpVd.z;
    objects[index].getPhysicsRotationDp(tmpQd);
    orientation[0] = tmpQd.w;
    orientation[1] = tmpQd.x;
    orientation[2] = tmpQd.y;
    orientation[3] = tmpQd.z;
  }

  @Override
  public void objectVelocity(int index, double[] velocity) {
    objects[index].getLinearVelocityDp(tmpVd);
    velocity[0] = tmpVd.x;
    velocity[1] = tmpVd.y;
    velocity[2] = tmpVd.z;
  }

  @Override
  public void placeObject(int index, double[] position, double[] orientation) {
    PhysicsRigidBody o = objects[index];
    o.setPhysicsLocationDp(new Vec3d(position[0], position[1], position[2]));
    o.setPhysicsRotationDp(new Quatd(orientation[1], orientation[2], orientation[3], orientation[0]).normalizeLocal());
    o.setLinearVelocityDp(new Vec3d());
    o.setAngularVelocityDp(new Vec3d());
    o.activate();
  }

  @Override
  public void onContact(Consumer<ContactEvent> listener) {
    listeners.add(listener);
  }

  @Override
  public double energy() {
    double g = scene.gravity();
    double e = 0;
    for (int b = 0; b < linkOfBody.length; b++) {
      if (b == 0) {
        robot.baseTransform(tmpTransform);
      } else {
        linkOfBody[b].worldTransform(tmpTransform);
      }
      Vector3f t = tmpTransform.getTranslation();
      comNow[3 * b] = t.x;
      comNow[3 * b + 1] = t.y;
      comNow[3 * b + 2] = t.z;
      e += bodyMass[b] * g * t.z;
      if (prevComValid) {
        double dt = scene.tickSeconds();
        double vx = (t.x - prevCom[3 * b]) / dt, vy = (t.y - prevCom[3 * b + 1]) / dt, vz = (t.z - prevCom[3 * b + 2]) / dt;
        e += 0.5 * bodyMass[b] * (vx * vx + vy * vy + vz * vz); // translational only: a stability gauge
      }
    }
    System.arraycopy(comNow, 0, prevCom, 0, comNow.length);
    prevComValid = true;
    for (int k = 0; k < objects.length; k++) {
      ObjectSpec s = specs[k];
      objects[k].getPhysicsLocationDp(tmpVd);
      e += s.mass() * g * tmpVd.z;
      objects[k].getLinearVelocityDp(tmpVd);
      e += 0.5 * s.mass() * (tmpVd.x * tmpVd.x + tmpVd.y * tmpVd.y + tmpVd.z * tmpVd.z);
      objects[k].getAngularVelocityDp(tmpVd);
      double inertia = s.mass() * (s.sx() * s.sx() + s.sy() * s.sy() + s.sz() * s.sz()) / 18;
      e += 0.5 * inertia * (tmpVd.x * tmpVd.x + tmpVd.y * tmpVd.y + tmpVd.z * tmpVd.z);
    }
    return e;
  }

  /** Drive stiffness (N m/rad or N/m) of joint {@code q index}: the PD's proportional gain. */
  public double stiffness(int joint) {
    return kp[joint];
  }

  /** Robot-robot pairs excluded because they touch at the initial pose, e.g. "left_hand/left_thumb_metacarpal". */
  public List<String> designedContacts() {
    List<String> out = new ArrayList<>();
    for (long k : designed) {
      out.add(tags[(int) (k >>> 32)].name() + "/" + tags[(int) k].name());
    }
    out.sort(null);
    return out;
  }

  @Override
  public void close() {
    space.destroy();
  }

  private static void put(Pose3 p, double[] out, int o) {
    out[o] = p.translation().x();
    out[o + 1] = p.translation().y();
    out[o + 2] = p.translation().z();
    Quat r = p.rotation().normalized();
    out[o + 3] = r.w();
    out[o + 4] = r.x();
    out[o + 5] = r.y();
    out[o + 6] = r.z();
  }

  private static Vector3f vec(Vec3 v) {
    return new Vector3f((float) v.x(), (float) v.y(), (float) v.z());
  }

  private static Quaternion quat(Quat q) {
    Quat n = q.normalized();
    return new Quaternion((float) n.x(), (float) n.y(), (float) n.z(), (float) n.w());
  }
}
