// Parses a URDF with three.js's urdf-loader (what the dashboard uses), collision geometry included, in
// node with linkedom standing in for the browser's DOM, and prints what it built as JSON for the Java
// test (DisplayUrdfLoaderTest): links, joints by type, meshes by geometry, and whether a joint moves
// its link when set. Exits 1 when the loader throws.
import fs from "node:fs";
import { DOMParser } from "linkedom";

globalThis.DOMParser = DOMParser;
const probe = new DOMParser().parseFromString("<a><b/></a>", "text/xml");
globalThis.Document = probe.constructor;
globalThis.Element = probe.documentElement.constructor;
const { default: URDFLoader } = await import("urdf-loader");

try {
  const loader = new URDFLoader();
  loader.parseCollision = true;
  const robot = loader.parse(fs.readFileSync(process.argv[2], "utf8"));
  const jointTypes = {};
  for (const j of Object.values(robot.joints)) jointTypes[j.jointType] = (jointTypes[j.jointType] ?? 0) + 1;
  const meshes = {};
  robot.traverse((o) => {
    if (o.isMesh) {
      const kind = o.geometry.type.replace("BufferGeometry", "").replace("Geometry", "").toLowerCase();
      meshes[kind] = (meshes[kind] ?? 0) + 1;
    }
  });
  const moved = {};
  const probeJoint = process.argv[3];
  if (probeJoint && robot.joints[probeJoint]) {
    const child = robot.joints[probeJoint].children.find((c) => c.isURDFLink);
    robot.updateMatrixWorld(true);
    const before = child.matrixWorld.elements.slice();
    robot.setJointValue(probeJoint, 1.0);
    robot.updateMatrixWorld(true);
    moved[probeJoint] = child.matrixWorld.elements.some((v, i) => Math.abs(v - before[i]) > 1e-6);
  }
  console.log(JSON.stringify({ name: robot.robotName, links: Object.keys(robot.links).length, jointTypes, meshes, moved }));
} catch (e) {
  console.error(String(e && e.stack ? e.stack : e));
  process.exit(1);
}
