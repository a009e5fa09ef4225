// The dashboard page: fleet, one robot live (3D, cameras, plot, safety log, task, shadow), e-stop and
// reset through the broker's role check, and replay of recorded episodes.
import { Broker } from "./broker.js";
import { Fleet } from "./fleet.js";
import { RobotView } from "./view3d.js";
import { Cameras, JointPlot, SafetyLog, taskText } from "./panels.js";
import { MAX_BYTES, at, readEpisode } from "./replay.js";
import { MODE, T, controlRequest, decode, modeName, num } from "./proto.js";

const PREFIX = "optimus/v1";
const OPERATORS_STATUS = `${PREFIX}/operators/+/status`;
const $ = (id) => document.getElementById(id);

// What the browser tests read (and anyone curious, from the console).
const metrics = { latencyMs: [], publishToRenderMs: [], renderMs: [], stateAgeMs: [], rendered: null, connected: false, refusals: [], estop: null };
window.__dash = metrics;

const ui = {
  broker: null, login: null, config: null, robot: null, live: true, replay: null,
  view: new RobotView($("view3d"), metrics),
  plot: new JointPlot($("plot"), $("plot-joint")),
  cameras: new Cameras($("cameras")),
  log: new SafetyLog($("safety-log").querySelector("tbody")),
};
ui.fleet = new Fleet($("fleet-table").querySelector("tbody"), $("fleet-count"), $("fleet-empty"), (id) => openRobot(id));

function banner(text, kind = "error") {
  const b = $("banner");
  b.textContent = text || "";
  b.className = `banner ${kind === "info" ? "info" : ""} ${text ? "" : "hidden"}`;
}

function setConn(kind, text) {
  const c = $("conn");
  c.textContent = text;
  c.className = `pill ${kind === "on" ? "on" : kind === "warn" ? "warn" : "off"}`;
  metrics.connected = kind === "on";
}

function connect(login) {
  if (ui.broker) ui.broker.close();
  ui.login = login;
  $("who").textContent = login ? `logged in as ${login.user}` : "anonymous";
  $("logout").classList.toggle("hidden", !login);
  $("login").classList.toggle("hidden", !!login);
  const b = new Broker(ui.config.broker, login, {
    onStatus: (kind, text) => {
      if (b !== ui.broker) return;
      if (kind === "auth") {
        setConn("off", "login needed");
        $("login").classList.remove("hidden");
        banner(login ? `The broker refused the login of ${login.user}: ${text}.` : "This broker needs a login: enter your user name and password.",
          login ? "error" : "info");
        return;
      }
      setConn(kind, text);
      if (kind === "on") banner("");
    },
    onMessage: (topic, payload) => { if (b === ui.broker) onMessage(topic, payload); },
    onDisconnectByBroker: (code) => {
      if (b !== ui.broker) return;
      metrics.refusals.push({ kind: "disconnect", code });
      banner(`The broker closed this connection (reason 0x${(code || 0).toString(16)}${code === 0x87 ? ": not authorized" : ""}); reconnecting.`);
    },
    onSubscribeGranted: (filter) => {
      if (b === ui.broker && filter === OPERATORS_STATUS) ui.supervisor = true;
    },
    onSubscribeRefused: (filter, code) => {
      if (b !== ui.broker) return;
      if (filter === OPERATORS_STATUS) ui.supervisor = false;
      if (filter.startsWith(`${PREFIX}/+/`)) {
        banner(`This login (${login ? login.user : "anonymous"}) may not list the whole fleet; log in with the robot ids it may see.`, "info");
      }
      metrics.refusals.push({ kind: "subscribe", filter, code });
    },
  });
  ui.broker = b;
  ui.supervisor = false;
  // Which path this login acts on: HiveMQ closes a connection on a forbidden PUBLISH, so the page must not
  // try both. A refused SUBSCRIBE costs nothing: operators/+/status is granted to supervisors (and
  // observers, who may act nowhere) but not to operators or policies, who act on R/control.
  if (login) b.subscribe(OPERATORS_STATUS, 1);
  if (!login || !login.robots || !login.robots.length) {
    b.subscribe(`${PREFIX}/+/status`, 1); // the whole fleet, where the role allows (observers of *)
    b.subscribe(`${PREFIX}/+/safety`, 1);
  }
  for (const r of (login && login.robots) || []) {
    b.subscribe(`${PREFIX}/${r}/status`, 1);
    b.subscribe(`${PREFIX}/${r}/safety`, 1);
  }
  if (ui.robot) subscribeRobot(ui.robot);
}

const ROBOT_TOPICS = [["state", 0], ["description", 1], ["camera/+", 0], ["video/+", 0], ["task", 0], ["safety/event", 1],
  ["control/reply", 1], ["shadow/sample", 0]];

function subscribeRobot(id) {
  for (const [t, qos] of ROBOT_TOPICS) ui.broker.subscribe(`${PREFIX}/${id}/${t}`, qos);
}

function unsubscribeRobot(id) {
  for (const [t] of ROBOT_TOPICS) ui.broker.unsubscribe(`${PREFIX}/${id}/${t}`);
}

function onMessage(topic, payload) {
  const arrivedAt = performance.now();
  const parts = topic.split("/");
  if (parts.length < 4 || parts[0] !== "optimus" || parts[1] !== "v1" || parts[2] === "operators") return;
  const id = parts[2];
  const rest = parts.slice(3).join("/");
  try {
    if (rest === "status") {
      if (payload.length === 0) return; // a cleared retained status
      ui.fleet.status(id, decode(T.BridgeStatus, payload));
      if (id === ui.robot && ui.live) robotHeader();
      return;
    }
    if (rest === "safety") {
      ui.fleet.safety(id, decode(T.SafetyStatus, payload));
      if (id === ui.robot && ui.live) robotHeader();
      return;
    }
    if (id !== ui.robot || !ui.live) return;
    if (rest === "state") {
      // States arrive at the control rate (250 Hz): only the newest per frame is decoded (in the frame), and
      // ~50 a second for the plot and the age, so a busy page keeps its main thread for clicks and frames.
      ui.view.offerState(null, arrivedAt, true, payload);
      if (arrivedAt - (ui.lastPlotAt || -1e9) >= 20) {
        ui.lastPlotAt = arrivedAt;
        const s = decode(T.JointState, payload);
        const wall = num(s.stamp && s.stamp.wallNs) / 1e6;
        if (wall > 0) {
          const age = Date.now() - wall;
          metrics.stateAgeMs.push(age);
          if (metrics.stateAgeMs.length > 20000) metrics.stateAgeMs.splice(0, 10000);
          ui.stateAge = age;
        }
        ui.plot.add(s, arrivedAt / 1000);
      }
    } else if (rest === "description") {
      $("view3d-note").textContent = ui.view.setDescription(decode(T.RobotDescription, payload));
      ui.plot.setJoints(ui.view.jointNames);
    } else if (rest.startsWith("camera/")) {
      ui.cameras.show(rest.slice(7), decode(T.CameraFrame, payload));
    } else if (rest.startsWith("video/")) {
      ui.cameras.show(rest.slice(6), decode(T.VideoFrame, payload));
    } else if (rest === "task") {
      const t = decode(T.TaskState, payload);
      $("task").textContent = taskText(t);
      ui.view.setTask(t);
    } else if (rest === "safety/event") {
      const e = decode(T.SafetyEvent, payload);
      ui.log.add(e, num(e.stamp && e.stamp.wallNs) / 1e6);
    } else if (rest === "control/reply") {
      const r = decode(T.ControlReply, payload);
      if (ui.pendingRequest && r.requestId === ui.pendingRequest) {
        result(r.ok ? `${ui.pendingAction}: accepted by ${id}` : `${ui.pendingAction} refused by ${id}: ${r.message}`, r.ok ? "ok" : "refused");
      }
    } else if (rest === "shadow/sample" && T.ShadowSummary) {
      const s = decode(T.ShadowSummary, payload);
      const groups = (s.groups || []).map((g) => `${g.group} ${g.meanAbs.toFixed(3)}`).join(" · ");
      $("shadow").textContent = `${s.source}: disagreement ${s.disagreement.toFixed(3)} rad (max ${s.disagreementMax.toFixed(3)})`
        + `${groups ? ` · ${groups}` : ""}`;
    }
  } catch (e) {
    console.warn(`${topic}: undecodable payload (${payload.length} bytes): ${e.message}`);
  }
}

function robotHeader() {
  const r = ui.fleet.robots.get(ui.robot);
  if (!r) return;
  const f = r.safety || {};
  const s = r.status || {};
  const mode = f.estopLatched ? "E-STOP LATCHED" : f.mode ? modeName(f.mode) : "—";
  const m = $("robot-mode");
  m.textContent = mode;
  m.className = `pill ${f.estopLatched ? "off" : f.mode === MODE.ENGAGED ? "on" : "warn"}`;
  $("robot-source").textContent = `${s.online ? "online" : "offline"} · source ${s.actionSource || "—"}${s.recording ? " · ● recording" : ""}`;
  $("shadow").textContent = $("shadow").textContent === "none" && s.shadow ? `${s.shadow} (recorded beside the driver)` : $("shadow").textContent;
  if (f.estopLatched && metrics.estop && metrics.estop.latchedSeenAt == null && metrics.estop.robot === ui.robot) {
    metrics.estop.latchedSeenAt = performance.now();
  }
}

function openRobot(id) {
  if (ui.replay) closeReplay();
  if (ui.robot && ui.robot !== id) unsubscribeRobot(ui.robot);
  ui.robot = id;
  ui.fleet.select(id);
  $("robot").classList.remove("hidden");
  $("robot-title").textContent = id;
  $("shadow").textContent = "none";
  $("task").textContent = "—";
  $("view3d-note").textContent = "waiting for the robot's description…";
  result("", "");
  ui.cameras.clear();
  ui.log.clear();
  ui.plot.clear();
  robotHeader();
  subscribeRobot(id);
  history.replaceState(null, "", `#robot=${encodeURIComponent(id)}`);
}

function result(text, cls) {
  const el = $("action-result");
  el.textContent = text;
  el.className = `action-result ${cls}`;
}

/**
 * E-stop and reset: a ControlRequest on R/control at QoS 1, with this page's login. The broker checks the
 * role (an observer's PUBLISH gets PUBACK 0x87 and the bridge never sees it); the bridge answers on
 * control/reply. The request is published before anything on the page is touched: nothing the page does
 * (text, layout) may wait in front of an e-stop.
 */
async function act(action, ev) {
  const handlerAt = performance.now();
  const id = ui.robot;
  if (!id || !ui.broker) return;
  const requester = ui.login ? ui.login.user : "dashboard";
  const safety = (ui.fleet.robots.get(id) || {}).safety || {};
  const reason = `dashboard (${requester})`;
  // a reset names the latch it clears (SafetyStatus.estop_latches): refused if the e-stop latched again since
  const body = action === "E-stop" ? { estop: { reason } } : { estopReset: { reason, latch: num(safety.estopLatches) } };
  const { bytes, requestId } = controlRequest(requester, body);
  // A supervisor acts on R/supervise/USER (the topic names who asks), everyone else on R/control.
  const topic = ui.login && ui.supervisor ? `${PREFIX}/${id}/supervise/${ui.login.user}` : `${PREFIX}/${id}/control`;
  const publishAt = performance.now();
  const sent = ui.broker.publish(topic, bytes);
  ui.pendingRequest = requestId;
  ui.pendingAction = action;
  if (action === "E-stop") {
    // the input's own time stamp (taken when it arrived, before this handler ran), and as wall clock;
    // the handler's start, the publish call and the broker's PUBACK on the page's clock
    const clickAt = ev ? ev.timeStamp : handlerAt;
    metrics.estop = { robot: id, clickAt, clickWallMs: performance.timeOrigin + clickAt, handlerAt, publishAt,
      ackAt: null, latchedSeenAt: null, refused: null };
  }
  const estop = metrics.estop;
  result(`${action}: sent to ${id}…`, "");
  const refused = await sent;
  if (action === "E-stop" && estop) estop.ackAt = performance.now();
  if (refused) {
    if (action === "E-stop" && estop) estop.refused = refused;
    metrics.refusals.push({ kind: "publish", action, robot: id, reason: refused });
    result(`${action} REFUSED by the broker: ${ui.login ? ui.login.user : "this anonymous login"} may not ${action === "E-stop" ? "e-stop" : "reset"} ${id} (${refused}). Ask an operator or supervisor.`, "refused");
  } else if ($("action-result").textContent.endsWith("…")) {
    result(`${action}: delivered to ${id}'s bridge, waiting for its reply…`, "");
  }
}

// ---- replay ----

async function listRecordings() {
  if (!ui.config.recordings) return;
  $("recordings").classList.remove("hidden");
  const list = await (await fetch("api/recordings")).json();
  const sel = $("recording-list");
  sel.replaceChildren(...list.map((r) => new Option(`${r.name} (${(r.bytes / 1e6).toFixed(1)} MB, ${new Date(r.modifiedMs).toLocaleString()})`, r.name)));
  $("recording-status").textContent = list.length ? `${list.length} episode(s)` : "no episode recorded yet";
}

async function openReplay(name) {
  const status = $("recording-status");
  status.textContent = `loading ${name}…`;
  try {
    const res = await fetch(`api/recording?name=${encodeURIComponent(name)}`);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    if (Number(res.headers.get("content-length")) > MAX_BYTES) throw new Error("larger than 1 GiB: open it in Foxglove instead");
    const ep = await readEpisode(new Uint8Array(await res.arrayBuffer()));
    if (ui.robot) unsubscribeRobot(ui.robot);
    ui.robot = null;
    ui.fleet.select(null);
    ui.live = false;
    ui.replay = { ep, name, t: ep.states[0].t, playing: false };
    window.__dash.replay = { name, states: ep.states.length, shownIndex: 0, sequence: null };
    $("robot").classList.remove("hidden");
    const robotId = ep.header.robotId || (ep.header.robot && ep.header.robot.robotId) || "robot";
    $("robot-title").textContent = `replay · ${robotId} · ${name}`;
    $("robot-mode").textContent = "REPLAY";
    $("robot-mode").className = "pill warn";
    $("robot-source").textContent = `${ep.header.task || "no task"} · ${ep.header.source || ""} · ${ep.states.length} states`;
    $("estop").disabled = true;
    $("reset").disabled = true;
    $("view3d-note").textContent = ui.view.setDescription(ep.header.robot || {});
    ui.plot.setJoints(ui.view.jointNames);
    ui.cameras.clear();
    ui.log.clear();
    const scrub = $("replay-scrub");
    scrub.max = String(ep.states.length - 1);
    scrub.value = "0";
    $("replay-bar").classList.remove("hidden");
    showReplayAt(0);
    status.textContent = `replaying ${name}`;
  } catch (e) {
    status.textContent = `cannot replay ${name}: ${e.message}`;
  }
}

function showReplayAt(i) {
  const r = ui.replay;
  const { ep } = r;
  const s = ep.states[i];
  r.index = i;
  r.t = s.t;
  ui.view.offerState(s.msg, performance.now(), false);
  ui.plot.add(s.msg, s.t);
  const task = at(ep.tasks, s.t);
  if (task) {
    $("task").textContent = taskText(task.msg);
    ui.view.setTask(task.msg);
  }
  for (const [name, frames] of ep.cameras) {
    const f = at(frames, s.t);
    if (f && f !== r[`cam-${name}`]) {
      r[`cam-${name}`] = f;
      ui.cameras.show(name, f.msg);
    }
  }
  const shown = ep.events.filter((e) => e.t <= s.t);
  if (shown.length !== r.eventsShown) {
    ui.log.clear();
    for (const e of shown.slice(-200)) ui.log.add(e.msg, num(e.msg.stamp && e.msg.stamp.wallNs) / 1e6);
    r.eventsShown = shown.length;
  }
  $("replay-time").textContent = `${(s.t - ep.states[0].t).toFixed(2)} / ${(ep.states[ep.states.length - 1].t - ep.states[0].t).toFixed(2)} s`;
  $("replay-scrub").value = String(i);
  window.__dash.replay.shownIndex = i;
  window.__dash.replay.sequence = s.msg.sequence;
}

function playReplay() {
  const r = ui.replay;
  if (!r) return;
  r.playing = !r.playing;
  $("replay-play").textContent = r.playing ? "Pause" : "Play";
  if (!r.playing) return;
  let wallStart = performance.now();
  let tStart = r.t;
  if (r.index >= r.ep.states.length - 1) { showReplayAt(0); tStart = r.t; }
  const step = () => {
    if (ui.replay !== r || !r.playing) return;
    const target = tStart + (performance.now() - wallStart) / 1000;
    let i = r.index;
    while (i < r.ep.states.length - 1 && r.ep.states[i + 1].t <= target) i++;
    if (i !== r.index) showReplayAt(i);
    if (i >= r.ep.states.length - 1) { r.playing = false; $("replay-play").textContent = "Play"; return; }
    requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
}

function closeReplay() {
  ui.replay = null;
  ui.live = true;
  $("replay-bar").classList.add("hidden");
  $("estop").disabled = false;
  $("reset").disabled = false;
  $("robot").classList.add("hidden");
  $("recording-status").textContent = "";
}

// ---- wiring ----

// The e-stop acts on the press, as a physical e-stop button does, not on the release a click waits for
// (a person's press lasts some 100 ms); a click without a press before it (the keyboard) acts too.
let estopPressedAt = -Infinity;
$("estop").addEventListener("pointerdown", (ev) => {
  if (ev.button !== 0 || $("estop").disabled) return;
  estopPressedAt = ev.timeStamp;
  act("E-stop", ev);
});
$("estop").addEventListener("click", (ev) => {
  if (ev.timeStamp - estopPressedAt < 5000) return; // this press has e-stopped already
  act("E-stop", ev);
});
$("reset").addEventListener("click", () => act("Reset"));
$("login").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const user = $("login-user").value.trim();
  const robots = $("login-robots").value.split(/[\s,]+/).filter((r) => /^[A-Za-z0-9_.-]{1,64}$/.test(r));
  connect({ user, password: $("login-password").value, robots });
  $("login-password").value = "";
});
$("logout").addEventListener("click", () => connect(null));
$("recording-open").addEventListener("click", () => { if ($("recording-list").value) openReplay($("recording-list").value); });
$("replay-scrub").addEventListener("input", (ev) => { if (ui.replay) showReplayAt(Number(ev.target.value)); });
$("replay-play").addEventListener("click", playReplay);
$("replay-close").addEventListener("click", closeReplay);
setInterval(() => {
  if (ui.live && ui.robot && ui.stateAge != null) $("robot-age").textContent = `state age ${ui.stateAge.toFixed(0)} ms`;
}, 250);

async function boot() {
  ui.config = await (await fetch("api/config")).json();
  const m = /robot=([^&]+)/.exec(location.hash);
  connect(null); // anonymous first: an open broker needs nothing, a secured one asks for a login
  if (m) openRobot(decodeURIComponent(m[1]));
  await listRecordings();
}

boot().catch((e) => banner(`The dashboard could not start: ${e.message}`));
