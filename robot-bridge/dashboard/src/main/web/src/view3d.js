// The robot in 3D: three.js + urdf-loader from the URDF the bridge publishes (RobotDescription.urdf).
// Joint values come from JointState (q order = RobotDescription.joints order). Rendering happens in
// requestAnimationFrame, only the newest state per frame; each rendered state's delay from its arrival
// (WebSocket message handled) to the end of the frame's draw call is kept as a latency sample.
import * as THREE from "three";
import { OrbitControls } from "three/addons/controls/OrbitControls.js";
import URDFLoader from "urdf-loader";
import { T } from "./proto.js";

// Lambert shading and no MSAA: cheap per pixel, so the view keeps up on a GPU-less machine (SwiftShader)
const LINK_MATERIAL = new THREE.MeshLambertMaterial({ color: 0xb8c2cc });
const OBJECT_MATERIAL = new THREE.MeshLambertMaterial({ color: 0xe3a33b });
const TARGET_MATERIAL = new THREE.MeshBasicMaterial({ color: 0x3fb950, transparent: true, opacity: 0.35 });

export class RobotView {
  constructor(el, metrics) {
    this.el = el;
    this.metrics = metrics; // {latencyMs: [], rendered: {...}}
    this.renderer = new THREE.WebGLRenderer({ antialias: false, powerPreference: "high-performance" });
    this.renderer.setPixelRatio(softwareGl(this.renderer) ? 0.6 : Math.min(window.devicePixelRatio || 1, 1.5));
    el.appendChild(this.renderer.domElement);
    this.scene = new THREE.Scene();
    this.scene.background = new THREE.Color(0x0b0e12);
    this.camera = new THREE.PerspectiveCamera(40, 1, 0.05, 50);
    this.camera.up.set(0, 0, 1); // the project's frames: z up
    this.camera.position.set(2.3, -1.6, 1.5);
    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.target.set(0, 0, 0.9);
    this.controls.update();
    this.controls.addEventListener("change", () => { this.dirty = true; });
    this.scene.add(new THREE.HemisphereLight(0xdde6f0, 0x30363d, 1.6));
    const sun = new THREE.DirectionalLight(0xffffff, 1.8);
    sun.position.set(2, -3, 5);
    this.scene.add(sun);
    const grid = new THREE.GridHelper(6, 24, 0x3b4654, 0x222a33);
    grid.rotation.x = Math.PI / 2; // GridHelper lies in x-z; ours is the x-y floor
    this.scene.add(grid);
    this.objects = new THREE.Group();
    this.scene.add(this.objects);
    this.robot = null;
    this.jointNames = [];
    this.pending = null;
    this.dirty = true;
    this.resize();
    new ResizeObserver(() => this.resize()).observe(el);
    const loop = () => {
      this.frame();
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  }

  resize() {
    const w = Math.max(1, this.el.clientWidth);
    const h = Math.max(1, this.el.clientHeight);
    this.renderer.setSize(w, h, true);
    this.camera.aspect = w / h;
    this.camera.updateProjectionMatrix();
    this.dirty = true;
  }

  /** Loads the robot from its description (URDF text and joint order); returns a note for the user. */
  setDescription(desc) {
    if (this.robot) {
      this.scene.remove(this.robot);
      this.robot = null;
    }
    this.jointNames = (desc.joints || []).map((j) => j.name);
    // the standard-URDF rendition (capsules as cylinders + spheres) when the bridge sends one
    const urdf = desc.displayUrdf || desc.urdf;
    if (!urdf) return "no URDF in this robot's description";
    const loader = new URDFLoader();
    loader.parseVisual = true;
    loader.parseCollision = false; // our collision capsules are not standard URDF; the visuals are
    loader.loadMeshCb = (path, manager, done) => done(null, new Error(`mesh ${path}: meshes are not fetched`));
    const robot = loader.parse(urdf);
    robot.traverse((o) => {
      if (o.isMesh) o.material = LINK_MATERIAL;
    });
    for (const j of Object.values(robot.joints)) j.ignoreLimits = true; // show what the robot reports
    // Until a state carries the floating base's pose, stand the model on the floor (its lowest point at z 0).
    this.floating = Object.values(robot.joints).find((j) => j.jointType === "floating") || null;
    robot.updateMatrixWorld(true);
    this.standZ = Math.max(0, -new THREE.Box3().setFromObject(robot).min.z);
    if (this.floating) this.floating.position.set(0, 0, this.standZ);
    this.robot = robot;
    this.scene.add(robot);
    this.dirty = true;
    return `${desc.modelName || robot.robotName} · ${this.jointNames.length} joints`;
  }

  /** Queues a JointState for the next frame; only the newest per frame is drawn. */
  offerState(state, arrivedAt, live = true, payload = null) {
    this.pending = { state, arrivedAt, live, payload };
  }

  setTask(task) {
    this.objects.clear();
    if (!task) return;
    for (const o of task.objects || []) {
      const s = o.size || {};
      const m = new THREE.Mesh(new THREE.BoxGeometry(s.x || 0.05, s.y || 0.05, s.z || 0.05), OBJECT_MATERIAL);
      place(m, o.pose);
      this.objects.add(m);
    }
    if (task.targetArea && task.targetSize) {
      const t = new THREE.Mesh(new THREE.BoxGeometry(task.targetSize.x || 0.1, task.targetSize.y || 0.1, 0.004),
        TARGET_MATERIAL);
      place(t, task.targetArea);
      this.objects.add(t);
    }
    this.dirty = true;
  }

  frame() {
    const p = this.pending;
    this.pending = null;
    if (p && !p.state) {
      try {
        p.state = T.JointState.decode(p.payload);
      } catch (e) {
        console.warn(`state: undecodable payload (${p.payload.length} bytes): ${e.message}`);
        return;
      }
    }
    if (p && this.robot) this.apply(p.state);
    if (!p && !this.dirty) return;
    this.dirty = false;
    const t0 = performance.now();
    this.renderer.render(this.scene, this.camera);
    this.metrics.renderMs.push(performance.now() - t0);
    if (this.metrics.renderMs.length > 5000) this.metrics.renderMs.splice(0, 2500);
    if (p && this.robot) {
      const done = performance.now();
      const m = this.metrics;
      m.latencyMs.push(done - p.arrivedAt);
      if (m.latencyMs.length > 20000) m.latencyMs.splice(0, 10000);
      // and from the bridge's publication (wall clocks of one host: loopback tests, or NTP-synced hosts)
      const wallNs = p.state.stamp && p.state.stamp.wallNs;
      if (wallNs && p.live) {
        m.publishToRenderMs.push(Date.now() - Number(wallNs) / 1e6);
        if (m.publishToRenderMs.length > 20000) m.publishToRenderMs.splice(0, 10000);
      }
      m.rendered = { sequence: p.state.sequence, at: done, joints: this.readBack() };
    }
  }

  apply(s) {
    const q = s.position || [];
    const joints = this.robot.joints;
    for (let i = 0; i < q.length && i < this.jointNames.length; i++) {
      const j = joints[this.jointNames[i]];
      if (j) j.setJointValue(q[i]);
    }
    const base = s.basePose;
    const fb = this.floating;
    this.metrics.basePose = base || null;
    if (base && base.position && fb) {
      const bp = base.position || {};
      const bo = base.orientation || {};
      fb.position.set(bp.x || 0, bp.y || 0, bp.z || 0);
      fb.quaternion.set(bo.x || 0, bo.y || 0, bo.z || 0, bo.w == null ? 1 : bo.w);
    }
  }

  /**
   * The angles the drawn model holds now, recovered from each joint's three.js transform (not from the
   * message): the rotation from the joint's rest pose about its axis, or its travel for a prismatic joint.
   */
  readBack() {
    const out = {};
    for (const name of this.jointNames) {
      const j = this.robot.joints[name];
      if (!j || !j.origQuaternion) continue;
      if (j.jointType === "revolute" || j.jointType === "continuous") {
        _rel.copy(j.origQuaternion).invert().multiply(j.quaternion);
        out[name] = 2 * Math.atan2(_rel.x * j.axis.x + _rel.y * j.axis.y + _rel.z * j.axis.z, _rel.w);
      } else if (j.jointType === "prismatic") {
        out[name] = _vec.copy(j.position).sub(j.origPosition).dot(j.axis);
      }
    }
    return out;
  }
}

const _rel = new THREE.Quaternion();
const _vec = new THREE.Vector3();

/** True on a CPU rasterizer (SwiftShader, llvmpipe): the view then draws fewer pixels to keep its frame rate. */
function softwareGl(renderer) {
  const gl = renderer.getContext();
  const info = gl.getExtension("WEBGL_debug_renderer_info");
  const name = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : "";
  return /swiftshader|llvmpipe|software/i.test(name);
}

function place(mesh, pose) {
  if (!pose) return;
  const p = pose.position || {};
  const o = pose.orientation || {};
  mesh.position.set(p.x || 0, p.y || 0, p.z || 0);
  mesh.quaternion.set(o.x || 0, o.y || 0, o.z || 0, o.w == null ? 1 : o.w);
}
