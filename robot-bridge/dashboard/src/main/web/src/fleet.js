// The fleet table: one row per robot seen on optimus/v1/+/status (retained BridgeStatus, the bridge's
// Last Will says offline) and optimus/v1/+/safety (retained SafetyStatus).
import { modeName, num } from "./proto.js";

const MODE_CLASS = { ENGAGED: "on", ESTOP: "off", HOLD: "warn", SAFE_RAMP: "warn" };

export class Fleet {
  constructor(tbody, count, empty, onSelect) {
    this.tbody = tbody;
    this.count = count;
    this.empty = empty;
    this.onSelect = onSelect;
    this.robots = new Map(); // id -> {status, safety, row, seenAt}
    this.selected = null;
    setInterval(() => this.render(), 500); // ages and staleness tick even without messages
  }

  entry(id) {
    let r = this.robots.get(id);
    if (!r) {
      r = { id, status: null, safety: null, row: null, seenAt: 0 };
      this.robots.set(id, r);
    }
    return r;
  }

  status(id, s) {
    const r = this.entry(id);
    r.status = s;
    r.seenAt = performance.now();
    this.render();
  }

  safety(id, s) {
    this.entry(id).safety = s;
    this.render();
  }

  select(id) {
    this.selected = id;
    this.render();
  }

  /** Rows in robot-id order; cells rewritten in place (no flicker, selection kept). */
  render() {
    const ids = [...this.robots.keys()].filter((id) => this.robots.get(id).status).sort();
    this.count.textContent = ids.length ? `${ids.filter((id) => this.robots.get(id).status.online).length} online / ${ids.length}` : "";
    this.empty.classList.toggle("hidden", ids.length > 0);
    ids.forEach((id, i) => {
      const r = this.robots.get(id);
      if (!r.row) {
        r.row = document.createElement("tr");
        r.row.dataset.robot = id;
        for (let c = 0; c < 9; c++) r.row.append(document.createElement("td"));
        r.row.addEventListener("click", () => this.onSelect(id));
      }
      if (this.tbody.children[i] !== r.row) this.tbody.insertBefore(r.row, this.tbody.children[i] || null);
      r.row.classList.toggle("selected", id === this.selected);
      const cells = fleetCells(r);
      cells.forEach((v, c) => {
        const td = r.row.children[c];
        if (typeof v === "string") {
          if (td.textContent !== v) td.textContent = v;
        } else if (td.dataset.v !== v.text + v.cls) {
          td.dataset.v = v.text + v.cls;
          td.replaceChildren(Object.assign(document.createElement("span"), { className: `pill ${v.cls}`, textContent: v.text }));
        }
      });
    });
  }
}

/** The row's cells: strings, or {text, cls} pills. Fields a bridge does not publish show as "—". */
export function fleetCells(r) {
  const s = r.status || {};
  const f = r.safety || {};
  const mode = s.safetyMode != null && s.safetyMode !== 0 ? modeName(s.safetyMode) : f.mode ? modeName(f.mode) : "—";
  const engaged = s.engaged != null ? s.engaged : f.mode ? mode === "ENGAGED" : null;
  const loop = num(s.loopRateHz) > 0 ? `${num(s.loopRateHz).toFixed(0)} Hz` : "—";
  return [
    r.id,
    s.online ? { text: "online", cls: "on" } : { text: "offline", cls: "off" },
    { text: f.estopLatched ? "E-STOP" : mode, cls: f.estopLatched ? "off" : MODE_CLASS[mode] || "" },
    engaged == null ? "—" : engaged ? "yes" : "no",
    s.operator || s.operatorId || "—",
    (s.actionSource || "—") + (s.takenOver ? " (taken over)" : ""),
    s.recording ? { text: "● REC", cls: "off" } : "—",
    loop,
    latencyText(s),
  ];
}

/** "teleop 1.2/3.4 ms · ..." from the status's per-stage latency, when the bridge publishes it. */
function latencyText(s) {
  const stages = s.latency || s.stageLatency || s.latencies;
  if (!Array.isArray(stages) || !stages.length) return "—";
  return stages.map((l) => {
    const p50 = l.p50Ms ?? (l.p50Ns != null ? num(l.p50Ns) / 1e6 : null);
    const p99 = l.p99Ms ?? (l.p99Ns != null ? num(l.p99Ns) / 1e6 : null);
    return `${l.stage || l.name || "?"} ${fmt(p50)}/${fmt(p99)}`;
  }).join(" · ") + " ms";
}

const fmt = (v) => (v == null ? "—" : Number(v).toFixed(v < 10 ? 1 : 0));
