// The robot view's panels: joint plot (uPlot), cameras, safety event log, task, shadow disagreement.
import uPlot from "uplot";
import { ENCODING, eventName, num } from "./proto.js";

const PLOT_SECONDS = 10;
const PLOT_HZ = 50; // the state stream runs at the control rate; 50 points a second are plenty to read

export class JointPlot {
  constructor(el, select) {
    this.el = el;
    this.select = select;
    this.names = [];
    this.joint = -1;
    this.t = [];
    this.meas = [];
    this.cmd = [];
    this.lastT = -Infinity;
    this.plot = new uPlot({
      width: Math.max(300, el.clientWidth), height: 220,
      scales: { x: { time: false } },
      axes: [{ stroke: "#8391a2", grid: { stroke: "#222a33" }, label: "s" },
        { stroke: "#8391a2", grid: { stroke: "#222a33" } }],
      series: [{}, { label: "measured", stroke: "#58a6ff", width: 1.5 }, { label: "commanded", stroke: "#f0883e", width: 1.5, dash: [6, 4] }],
    }, [[], [], []], el);
    new ResizeObserver(() => this.plot.setSize({ width: Math.max(300, el.clientWidth), height: 220 })).observe(el);
    select.addEventListener("change", () => this.choose(Number(select.value)));
    setInterval(() => this.redraw(), 200);
  }

  setJoints(names) {
    this.names = names;
    this.select.replaceChildren(...names.map((n, i) => new Option(n, String(i))));
    const pref = ["right_elbow_joint", "right_shoulder_pitch_joint"].map((n) => names.indexOf(n)).find((i) => i >= 0);
    this.choose(pref ?? 0);
  }

  choose(i) {
    this.joint = i;
    this.select.value = String(i);
    this.clear();
  }

  clear() {
    this.t = []; this.meas = []; this.cmd = []; this.lastT = -Infinity;
  }

  /** A state at time tSec (seconds, any origin). */
  add(state, tSec) {
    if (this.joint < 0 || tSec - this.lastT < 1 / PLOT_HZ) return;
    if (tSec < this.lastT) this.clear(); // replay scrubbed back
    this.lastT = tSec;
    this.t.push(tSec);
    this.meas.push((state.position || [])[this.joint] ?? null);
    this.cmd.push((state.commandedPosition || [])[this.joint] ?? null);
    while (this.t.length && this.t[0] < tSec - PLOT_SECONDS) {
      this.t.shift(); this.meas.shift(); this.cmd.shift();
    }
    this.changed = true;
  }

  redraw() {
    if (!this.changed) return;
    this.changed = false;
    const t0 = this.t.length ? this.t[this.t.length - 1] : 0;
    this.plot.setData([this.t.map((t) => t - t0), this.meas, this.cmd]);
  }
}

export class Cameras {
  constructor(el) {
    this.el = el;
    this.canvases = new Map();
  }

  clear() {
    this.canvases.clear();
    this.el.replaceChildren(Object.assign(document.createElement("span"), { className: "muted", textContent: "no camera" }));
  }

  canvas(name, w, h) {
    let c = this.canvases.get(name);
    if (!c) {
      if (!this.canvases.size) this.el.replaceChildren();
      const fig = document.createElement("figure");
      c = document.createElement("canvas");
      c.dataset.camera = name;
      const cap = document.createElement("figcaption");
      cap.textContent = name;
      fig.append(c, cap);
      this.el.append(fig);
      this.canvases.set(name, c);
    }
    if (c.width !== w || c.height !== h) { c.width = w; c.height = h; }
    return c;
  }

  /** CameraFrame (raw RGB8/MONO8) or VideoFrame (JPEG). */
  show(name, f) {
    const w = f.width | 0;
    const h = f.height | 0;
    const data = f.data;
    if (!w || !h || !data || w * h > 4096 * 4096) return;
    if (f.encoding === ENCODING.JPEG || f.encoding === ENCODING.PNG) {
      const type = f.encoding === ENCODING.JPEG ? "image/jpeg" : "image/png";
      createImageBitmap(new Blob([data], { type })).then((bmp) => {
        this.canvas(name, bmp.width, bmp.height).getContext("2d").drawImage(bmp, 0, 0);
        bmp.close();
      }, () => { /* a broken image is skipped */ });
      return;
    }
    const mono = f.encoding === ENCODING.MONO8;
    const bpp = mono ? 1 : 3;
    const step = f.step || w * bpp;
    if (f.encoding !== ENCODING.RGB8 && !mono) return;
    if (data.length < step * (h - 1) + w * bpp) return; // truncated frame
    const c = this.canvas(name, w, h);
    const ctx = c.getContext("2d");
    const img = ctx.createImageData(w, h);
    const px = img.data;
    for (let y = 0; y < h; y++) {
      let s = y * step;
      let d = y * w * 4;
      for (let x = 0; x < w; x++, d += 4, s += bpp) {
        px[d] = data[s];
        px[d + 1] = data[mono ? s : s + 1];
        px[d + 2] = data[mono ? s : s + 2];
        px[d + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
  }
}

export class SafetyLog {
  constructor(tbody) {
    this.tbody = tbody;
  }

  clear() {
    this.tbody.replaceChildren();
  }

  add(e, wallMs) {
    const tr = document.createElement("tr");
    tr.className = `sev-${e.severity | 0}`;
    const when = new Date(wallMs || Date.now());
    for (const text of [when.toLocaleTimeString([], { hour12: false }) + "." + String(when.getMilliseconds()).padStart(3, "0"),
      eventName(e.type), e.joint || "", e.detail || ""]) {
      const td = document.createElement("td");
      td.textContent = text;
      tr.append(td);
    }
    this.tbody.prepend(tr);
    while (this.tbody.children.length > 200) this.tbody.lastChild.remove();
  }
}

export function taskText(t) {
  if (!t || !t.task) return "no task";
  const attempts = t.graspAttempts ? ` · grasps ${t.graspAttempts} (missed ${t.missedGrasps | 0})` : "";
  return `${t.task} · seed ${num(t.seed)} · ${t.success ? "✔ success" : "in progress"}${attempts}`;
}
