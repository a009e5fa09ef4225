package io.optimus.bridge.sim;

import io.optimus.bridge.body.BodyState;
import io.optimus.bridge.body.RobotBody;
import io.optimus.bridge.physics.ObjectSpec;
import io.optimus.bridge.physics.PhysicsBackend;
import io.optimus.bridge.physics.PhysicsScene;
import io.optimus.bridge.physics.PhysicsWorld;
import io.optimus.bridge.physics.bullet.BulletBackend;
import io.optimus.bridge.world.HandSample;
import io.optimus.bridge.world.TaskWorld;
import io.optimus.bridge.world.WorldObject;
import io.optimus.motion.model.Joint;
import io.optimus.motion.model.RobotModel;
import io.optimus.motion.model.RobotRig;
import io.optimus.proto.v1.RobotDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * The robot and the task's objects under contact dynamics: one {@link PhysicsWorld} (Bullet by default)
 * drives both. The body's {@link RobotBody#write write} sets the joint targets and advances the physics
 * exactly one control tick; {@link RobotBody#read read} returns the measured joints. The control loop
 * calls read, then write, then {@link #stepObjects}, which copies the objects' poses and velocities into
 * a {@link TaskWorld#physical physical} {@link TaskWorld} (holding its lock, as the loop does) and, after
 * a {@link TaskWorld#reset}, first re-places them at the new layout, at rest.
 *
 * <p>Time: the scene's control rate is the loop's ({@link RobotDescription#getControlRateHz()}), and every
 * write is one fixed tick whatever dt the loop measured. A wall-time host whose ticks jitter (or fall
 * behind) therefore runs the physics slightly slower or faster than the wall clock instead of taking
 * variable, less stable steps; stepped hosts see exactly the loop's time.
 *
 * <p>Threads: Libbulletjme binds a physics space to the thread that built it (its JNI environment), so the
 * engine must be stepped there. The world is built at once (a bad model fails here, naming the link) and,
 * when the first tick comes from another thread (a wall-time control loop's own), rebuilt on that thread,
 * carrying the joints and the objects' poses over. Read {@link #physics()} only from the stepping thread.
 *
 * <p>Nothing is grasped by rule and there is no grasp radius: a hand holds a cube only by contact and
 * friction. What the task state reports as a hold is observed: the cube off its support with that hand's
 * palm or finger links touching it ({@link PhysicsWorld#touching}, {@link TaskWorld#setTouchedBy}).
 */
public final class PhysicsSimulatedWorld implements SimulatedWorld {
  /** Bullet (Libbulletjme), the default physics backend. */
  public static final Factory FACTORY = factory(new BulletBackend());

  private final PhysicsBackend backend;
  private final RobotRig rig;
  private final PhysicsScene scene;
  private final TaskWorld objects;
  /** Model link indices of the left (0) and right (1) hand: palm and fingers. */
  private final int[][] handLinks;
  private final Body body;
  private final List<ContactListener> contactListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private PhysicsWorld physics;
  /** The thread {@link #physics} was built on, the only one that may step it. */
  private Thread owner;
  private final double[] position = new double[3];
  private final double[] orientation = new double[4];
  private final double[] velocity = new double[3];
  private int placedLayout;

  /** Worlds on {@code backend}: the robot at the rig's home pose on its stand, the spec's task objects on the table. */
  public static Factory factory(PhysicsBackend backend) {
    return (rig, description, spec) -> new PhysicsSimulatedWorld(backend, rig, description, spec);
  }

  private PhysicsSimulatedWorld(PhysicsBackend backend, RobotRig rig, RobotDescription description, Spec spec) {
    this.objects = spec.hasTask() ? TaskWorld.physical(spec.robotId(), spec.task(), spec.seed(), spec.tableTop()) : null;
    List<ObjectSpec> specs = new ArrayList<>();
    if (objects != null) {
      for (WorldObject o : objects.objects()) {
        specs.add(new ObjectSpec(o.name, o.size[0], o.size[1], o.size[2], o.mass, o.friction));
      }
    }
    this.backend = backend;
    this.rig = rig;
    this.scene = scene(spec.tableTop(), objects, specs, description.getControlRateHz());
    this.body = new Body(description);
    this.handLinks = new int[][] {handLinks(rig, "left"), handLinks(rig, "right")};
    build(rig.home());
  }

  /** The links of one hand: its palm and every link moved by a joint of its group ({@code left_hand}...). */
  private static int[] handLinks(RobotRig rig, String side) {
    RobotModel m = rig.model();
    List<Integer> links = new ArrayList<>();
    RobotRig.Hand h = side.equals("left") ? rig.left() : rig.right();
    if (h.present()) {
      links.add(h.palmLink());
    }
    for (Joint j : m.dofJoints()) {
      if (j.group().equals(side + "_hand")) {
        links.add(m.linkIndex(j.child()));
      }
    }
    return links.stream().mapToInt(Integer::intValue).toArray();
  }

  /** (Re)builds the engine on this thread with the robot at rest at {@code q} and the objects where the task world has them. */
  private void build(double[] q) {
    physics = backend.create(rig.model(), scene, q);
    owner = Thread.currentThread();
    physics.onContact(e -> {
      for (ContactListener l : contactListeners) {
        l.contact(body.tickNs, e);
      }
    });
    if (objects != null) {
      synchronized (objects) {
        placeObjects();
        copyObjects();
      }
    }
  }

  /** Rebuilds the engine when a thread other than its builder steps it (see the class comment). */
  private void onSteppingThread() {
    if (Thread.currentThread() == owner) {
      return;
    }
    int n = rig.dof();
    double[] q = new double[n];
    physics.readJoints(q, new double[n], new double[n]);
    physics.close();
    build(q);
  }

  private static PhysicsScene scene(double tableTop, TaskWorld objects, List<ObjectSpec> specs, double controlHz) {
    PhysicsScene t = PhysicsScene.tabletop(specs);
    double minX = objects == null ? t.tableMinX() : objects.tableMinX;
    double maxX = objects == null ? t.tableMaxX() : objects.tableMaxX;
    double minY = objects == null ? t.tableMinY() : objects.tableMinY;
    double maxY = objects == null ? t.tableMaxY() : objects.tableMaxY;
    return new PhysicsScene(tableTop, minX, maxX, minY, maxY, t.tableFriction(), specs, t.gravity(),
        controlHz > 0 ? controlHz : t.controlHz(), t.substeps(), t.standClearance());
  }

  /** The engine underneath (link poses, energy, contacts). Stepped by the control loop's thread only. */
  public PhysicsWorld physics() {
    return physics;
  }

  /** The physics robot's pelvis is fixed on its stand. */
  @Override
  public boolean onStand() {
    return true;
  }

  @Override
  public RobotBody body() {
    return body;
  }

  @Override
  public TaskWorld objects() {
    return objects;
  }

  /** Contact onsets, on the control thread during the body's write, stamped with the loop's time. */
  @Override
  public void onContact(ContactListener listener) {
    contactListeners.add(listener);
  }

  /** Called by the loop holding the task world's lock: a new layout is placed, then states copied in. */
  @Override
  public void stepObjects(double dt, HandSample left, HandSample right) {
    if (objects.layoutVersion() != placedLayout) {
      placeObjects();
    }
    copyObjects();
    markTouches();
    objects.observe(dt, left, right); // hands, who held what, how long the goal has held
  }

  private void placeObjects() {
    WorldObject[] os = objects.objects();
    for (int k = 0; k < os.length; k++) {
      physics.placeObject(k, os[k].position, os[k].orientation);
    }
    placedLayout = objects.layoutVersion();
  }

  /** Which hands touch each object now: what a hold is made of in physics (no grasp radius). */
  private void markTouches() {
    int n = physics.objectCount();
    for (int k = 0; k < n; k++) {
      int mask = 0;
      for (int h = 0; h < 2; h++) {
        for (int l : handLinks[h]) {
          if (physics.touching(l, k)) {
            mask |= 1 << h;
            break;
          }
        }
      }
      objects.setTouchedBy(k, mask);
    }
  }

  private void copyObjects() {
    int n = physics.objectCount();
    for (int k = 0; k < n; k++) {
      physics.objectPose(k, position, orientation);
      physics.objectVelocity(k, velocity);
      objects.setObjectState(k, position, orientation, velocity);
    }
  }

  @Override
  public void close() {
    physics.close();
  }

  /** The robot's joints in the physics world; each write is one control tick of physics. Allocation-free. */
  private final class Body implements RobotBody {
    private final RobotDescription description;
    /** The loop's time of the tick being stepped, for contact events. */
    private long tickNs;

    Body(RobotDescription description) {
      this.description = description;
    }

    @Override
    public RobotDescription describe() {
      return description;
    }

    @Override
    public void read(long nowNs, BodyState out) {
      onSteppingThread();
      physics.readJoints(out.position, out.velocity, out.effort);
      out.stampNs = nowNs;
    }

    @Override
    public boolean place(double[] q) {
      onSteppingThread();
      physics.resetJoints(q);
      return true;
    }

    @Override
    public void write(long nowNs, double[] position, double[] velocity, double[] effort) {
      onSteppingThread();
      tickNs = nowNs;
      physics.command(position);
      physics.step();
    }
  }
}
