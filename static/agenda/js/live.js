// Follow the live clock: poll the state (ETag, 304 when nothing changed), count down between
// polls from the server's time (a viewer's own clock may be wrong), mark the agenda rows.
const root = document.getElementById("live");
const POLL_MS = 3000;

if (root && root.dataset.poll) {
  const url = root.dataset.stateUrl;
  const hhmm = new Intl.DateTimeFormat(root.dataset.language || "es", {
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: root.dataset.timeZone,
  });
  let state = null;
  let etag = null;
  let offset = 0; // server time minus this browser's time, in ms

  const field = (name) => root.querySelectorAll(`[data-live="${name}"]`);
  const put = (name, text) => field(name).forEach((node) => { node.textContent = text; });
  const now = () => Date.now() + offset;

  const countdown = (ms) => {
    const sign = ms < 0 ? "−" : "";
    let seconds = Math.floor(Math.abs(ms) / 1000);
    const hours = Math.floor(seconds / 3600);
    seconds -= hours * 3600;
    const minutes = String(Math.floor(seconds / 60)).padStart(2, "0");
    const rest = String(seconds % 60).padStart(2, "0");
    return hours ? `${sign}${hours}:${minutes}:${rest}` : `${sign}${minutes}:${rest}`;
  };

  // The same projection as agenda/live.py: an item never starts before its planned time.
  const project = (at) => {
    const current = state.items.find((item) => item.id === state.current);
    let cursor = state.ended_at ? null : at;
    if (current) {
      const pause = state.paused_since ? at - state.paused_since : 0;
      cursor = Math.max(at, current.actual_start + 1000 * (current.allotted_seconds + current.paused_seconds) + pause);
    }
    let nextFound = false;
    return state.items.map((item) => {
      if (current && item.id === current.id) return { ...item, status: "now", start: item.actual_start, end: cursor };
      if (item.actual_end) return { ...item, status: "done", start: item.actual_start, end: item.actual_end };
      if (state.ended_at) return { ...item, status: "skipped", start: item.planned_start, end: item.planned_end };
      const start = Math.max(item.planned_start, cursor);
      const status = nextFound ? "upcoming" : "next";
      nextFound = true;
      cursor = start + 1000 * item.allotted_seconds;
      return { ...item, status, start, end: cursor };
    });
  };

  const render = () => {
    if (!state) return;
    const at = now();
    const rows = project(at);
    const current = rows.find((row) => row.status === "now");
    const next = rows.find((row) => row.status === "next");
    root.hidden = false;
    put("now-title", current ? current.title : state.status === "ended" ? root.dataset.textEnded : root.dataset.textNone);
    put("now-who", current ? current.participants : "");
    put("next-title", next ? `${next.title} · ${hhmm.format(next.start)}` : root.dataset.textNone);
    put("status", state.status === "paused" ? root.dataset.textPaused : "");
    let remaining = null;
    if (current) {
      const until = state.paused_since || at;
      remaining = 1000 * current.allotted_seconds - (until - current.actual_start - 1000 * current.paused_seconds);
    }
    put("remaining", remaining === null ? "" : countdown(remaining));
    document.body.classList.toggle("live-warning", remaining !== null && remaining <= 120000 && remaining > 0);
    document.body.classList.toggle("live-overrun", remaining !== null && remaining <= 0);
    if (state.status !== "not_started" && rows.length) {
      const last = rows[rows.length - 1];
      const late = Math.round((last.end - last.planned_end) / 60000);
      const text = late > 0 ? root.dataset.textLate : late < 0 ? root.dataset.textEarly : root.dataset.textOnTime;
      put("delay", text.replace("{n}", String(Math.abs(late))));
    }
    rows.forEach((row) => {
      document.querySelectorAll(`tr[data-item="${row.id}"]`).forEach((tr) => {
        ["done", "now", "next", "upcoming", "skipped"].forEach((s) => tr.classList.toggle(`live-${s}`, s === row.status && state.status !== "not_started"));
        const moved = Math.abs(row.start - row.planned_start) >= 60000 || Math.abs(row.end - row.planned_end) >= 60000;
        tr.querySelectorAll('[data-live="projected"]').forEach((node) => {
          node.textContent = moved && state.status !== "not_started" ? `→ ${hhmm.format(row.start)} – ${hhmm.format(row.end)}` : "";
        });
      });
    });
  };

  const poll = async () => {
    const sent = Date.now();
    try {
      const response = await fetch(url, { headers: etag ? { "If-None-Match": etag } : {}, cache: "no-store" });
      const server = Number(response.headers.get("X-Server-Time"));
      if (server) offset = server - (sent + Date.now()) / 2;
      if (response.status === 200) {
        state = await response.json();
        etag = response.headers.get("ETag");
        const shown = root.dataset.reloadFromVersion;
        if (shown !== undefined && String(state.version) !== shown) {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // Offline for a moment: keep counting from the last state.
    }
    render();
  };

  poll();
  setInterval(poll, POLL_MS);
  setInterval(render, 1000);
}
