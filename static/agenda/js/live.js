// Follow the live clock: poll the state (ETag, 304 when nothing changed), count down between
// polls from the server's time (a viewer's own clock may be wrong), mark the agenda rows.
const root = document.getElementById("live");
const POLL_MS = 3000;

if (root && root.dataset.poll) {
  const url = root.dataset.stateUrl;
  const hhmm = new Intl.DateTimeFormat(root.dataset.language || "es", {
    hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: root.dataset.timeZone,
  });
  const zoneLabel = root.dataset.zoneLabel ? ` (${root.dataset.zoneLabel})` : "";
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

  // What runs, what is next and when the rest should happen are the server's (agenda/live.py,
  // `snapshot`); this script only counts down to the running item's end on the server's clock.
  const render = () => {
    if (!state) return;
    const rows = state.items;
    const current = rows.find((row) => row.id === state.current);
    const next = rows.find((row) => row.id === state.next);
    root.hidden = false;
    put("now-title", current ? current.title : state.has_ended ? root.dataset.textEnded : root.dataset.textNone);
    put("now-who", current ? current.participants : "");
    put("next-title", next ? `${next.title} · ${hhmm.format(next.start)}${zoneLabel}` : root.dataset.textNone);
    put("status", state.is_paused ? root.dataset.textPaused : "");
    const remaining = state.countdown_to !== null ? state.countdown_to - now() : state.paused_remaining_ms;
    put("remaining", remaining === null ? "" : countdown(remaining));
    document.body.classList.toggle("live-warning", remaining !== null && remaining <= 120000 && remaining > 0);
    document.body.classList.toggle("live-overrun", remaining !== null && remaining <= 0);
    if (state.delay_minutes !== null) {
      const late = state.delay_minutes;
      const text = late > 0 ? root.dataset.textLate : late < 0 ? root.dataset.textEarly : root.dataset.textOnTime;
      put("delay", text.replace("{n}", String(Math.abs(late))));
    }
    renderFloor(state.floor);
    rows.forEach((row) => {
      document.querySelectorAll(`tr[data-item="${row.id}"]`).forEach((tr) => {
        // The row's class is its state as the server spells it (agenda/states.py, ItemState).
        [...tr.classList].filter((name) => name.startsWith("live-")).forEach((name) => tr.classList.remove(name));
        if (row.status) tr.classList.add(`live-${row.status}`);
        tr.querySelectorAll('[data-live="projected"]').forEach((node) => {
          node.textContent = row.moved ? `→ ${hhmm.format(row.start)} – ${hhmm.format(row.end)}` : "";
        });
      });
    });
  };

  // The running item's speakers' list: who has the floor, their own countdown, who follows.
  const floorBox = root.querySelector('[data-live="floor"]');
  const speakerName = (entry) => (entry.note ? `${entry.delegation} (${entry.note})` : entry.delegation);
  const renderFloor = (floor) => {
    const active = Boolean(floor && (floor.speaker || floor.queue.length));
    if (floorBox) floorBox.hidden = !active;
    const left = floor && floor.speaker
      ? (floor.countdown_to !== null ? floor.countdown_to - now() : floor.paused_remaining_ms)
      : null;
    document.body.classList.toggle("floor-active", Boolean(floor && floor.speaker));
    document.body.classList.toggle("floor-warning", left !== null && left <= 30000 && left > 0);
    document.body.classList.toggle("floor-overrun", left !== null && left <= 0);
    if (!active) return;
    field("floor-now").forEach((node) => { node.hidden = !floor.speaker; });
    put("speaker", floor.speaker ? speakerName(floor.speaker) : "");
    put("speaker-remaining", left === null ? "" : countdown(left));
    put("queue", floor.queue.length ? floor.queue.map(speakerName).join(", ") : root.dataset.textNone);
    put("queue-length", String(floor.queue.length));
    const ends = floor.over_slot_minutes > 0 ? root.dataset.textListEnds : root.dataset.textListEndsInSlot;
    put("list-end", floor.ends_at === null ? "" : ends.replace("{end}", hhmm.format(floor.ends_at)).replace("{n}", String(floor.over_slot_minutes)) + zoneLabel);
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
