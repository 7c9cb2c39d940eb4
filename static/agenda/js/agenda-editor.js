// The agenda editor without a page load per edit: rows added, moved and retyped in the page,
// a pasted table or an uploaded .docx read by the server and shown here, keys for each action.
// Without this script the same buttons post the form and the page comes back changed.

const form = document.getElementById("agenda-editor");
let nextIndex = 100000;

function rowsBody() {
  return form.querySelector("#agenda-grid tbody");
}

function editorRows() {
  return [...rowsBody().querySelectorAll("tr.editor-row")];
}

// The order cells follow the rows as they stand; the server sorts by them.
function renumber() {
  editorRows().forEach((row, position) => {
    row.querySelector(".editor-order").value = position + 1;
  });
}

function setKind(row, kind) {
  row.dataset.kind = kind;
  row.className = row.className.replace(/kind-\w+/, `kind-${kind}`);
  row.querySelector(".editor-kind").value = kind;
}

function newRow(kind) {
  const template = document.getElementById("agenda-row-template");
  const index = nextIndex++;
  const html = template.innerHTML.replaceAll("__i__", String(index));
  const body = document.createElement("tbody");
  body.innerHTML = html;
  const row = body.querySelector("tr.editor-row");
  setKind(row, kind);
  return row;
}

// A row's own problems sit in the line after it: they move with it.
function withProblems(row) {
  const next = row.nextElementSibling;
  return next && next.classList.contains("editor-problems") ? [row, next] : [row];
}

function insertBelow(row, kind) {
  const added = newRow(kind);
  const group = withProblems(row);
  group[group.length - 1].after(added);
  renumber();
  added.querySelector(kind === "day" ? ".cell-day" : kind === "topic" ? ".cell-time" : ".cell-title").focus();
  return added;
}

function move(row, step) {
  const rows = editorRows();
  const target = rows[rows.indexOf(row) + step];
  if (!target) return;
  const group = withProblems(row);
  if (step < 0) target.before(...group);
  else withProblems(target).at(-1).after(...group);
  renumber();
}

function rowOf(element) {
  return element.closest("tr.editor-row");
}

form.classList.add("scripted");

form.addEventListener("click", (event) => {
  const button = event.target.closest("button[name=action]");
  if (!button) return;
  const [verb, kindOrIndex] = button.value.split("-");
  const row = rowOf(button);
  if (row && verb === "insert") {
    event.preventDefault();
    insertBelow(row, kindOrIndex === "sub" ? "sub" : "topic");
  } else if (row && (verb === "up" || verb === "down")) {
    event.preventDefault();
    move(row, verb === "up" ? -1 : 1);
    button.focus();
  } else if (verb === "read") {
    event.preventDefault();
    read();
  }
});

form.addEventListener("change", (event) => {
  if (event.target.matches(".editor-kind")) setKind(rowOf(event.target), event.target.value);
  if (event.target.matches(".editor-delete")) rowOf(event.target).classList.toggle("is-deleted", event.target.checked);
  if (event.target.matches("input[type=file]") && event.target.files.length) read();
});

// Enter goes down a column, as in a spreadsheet; the other keys are listed on the page.
form.addEventListener("keydown", (event) => {
  const cell = event.target.closest("input, select");
  const row = cell && rowOf(cell);
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
    event.preventDefault();
    form.querySelector("#editor-save").click();
    return;
  }
  if (!row) return;
  const column = [...cell.classList].find((name) => name.startsWith("cell-") || name.startsWith("editor-"));
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    insertBelow(row, event.shiftKey ? "topic" : "sub");
  } else if (event.key === "Enter" && cell.matches("input[type=text]")) {
    event.preventDefault();
    const rows = editorRows();
    const below = rows[rows.indexOf(row) + (event.shiftKey ? -1 : 1)];
    if (below && column) below.querySelector(`.${column}`).focus();
  } else if (event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
    event.preventDefault();
    move(row, event.key === "ArrowUp" ? -1 : 1);
    cell.focus();
  } else if (event.altKey && (event.key === "ArrowRight" || event.key === "ArrowLeft")) {
    event.preventDefault();
    setKind(row, event.key === "ArrowRight" ? "sub" : "topic");
  } else if ((event.ctrlKey || event.metaKey) && event.key === "Delete") {
    event.preventDefault();
    const box = row.querySelector(".editor-delete");
    box.checked = !box.checked;
    row.classList.toggle("is-deleted", box.checked);
  }
});

// A table pasted from Word, LibreOffice or Google Docs comes as HTML: keep it for the server to read.
form.addEventListener("paste", (event) => {
  const box = event.target.closest("textarea[name=pasted]");
  if (!box) return;
  const html = event.clipboardData.getData("text/html");
  form.querySelector("input[name=pasted_html]").value = html && html.toLowerCase().includes("<table") ? html : "";
  window.setTimeout(read, 0);
});

// Read what was pasted or chosen: the server answers with the page, whose form replaces this one.
async function read() {
  const data = new FormData(form);
  data.set("action", "read");
  // Not form.action: the buttons named "action" shadow it.
  const answer = await fetch(form.getAttribute("action") || window.location.href, {
    method: "POST",
    body: data,
    headers: { "X-Requested-With": "fetch" },
    credentials: "same-origin",
  });
  const page = new DOMParser().parseFromString(await answer.text(), "text/html");
  const fresh = page.getElementById("agenda-editor");
  if (!fresh) {
    // Not the editor (signed out, or the server failed): show what came, as a plain post would.
    console.error("The agenda could not be read:", answer.status);
    return;
  }
  form.innerHTML = fresh.innerHTML;
  form.dataset.readAt = String(Date.now());
  const summary = form.querySelector("#editor-summary");
  (summary || form.querySelector(".cell-title"))?.focus();
}

// After a refused save, the summary takes the focus; its links lead to the rows.
form.querySelector("#editor-summary")?.focus();

// Suggestions for the name being typed, after the ones already in the cell ("SE CRM y ▮").
const suggestions = [...document.querySelectorAll("#agenda-names option")].map((option) => option.value);
form.addEventListener("input", (event) => {
  const cell = event.target.closest(".cell-participants");
  if (!cell) return;
  const written = cell.value.match(/^(.*(?:[;,:]\s*|\s(?:y|e|and)\s))/i);
  const before = written ? written[1] : "";
  form
    .querySelector("#agenda-names")
    .replaceChildren(...suggestions.map((label) => new Option(before + label, before + label)));
});
