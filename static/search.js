// The search page: a form whose whole state (query, filters, sort) lives in the URL, answered by
// Pagefind's JS API. OR within a filter group, AND across groups; counts follow the other groups.

const GROUPS = [
  ["theme", "Theme"], ["country", "Country"], ["region", "Region"],
  ["level", "Level"], ["status", "Status"], ["year", "Year"],
];
const PAGE_SIZE = 20;

const root = document.querySelector(".search[data-pagefind-path]");
const form = root.querySelector("form");
const groupsBox = root.querySelector("#search-groups");
const clearButton = root.querySelector("#search-clear");
const resultsBox = root.querySelector(".search-results");
const countLine = root.querySelector("#search-count");
const list = root.querySelector("#search-list");
const moreButton = root.querySelector("#search-more");

let pagefind = null;
let sequence = 0;
let results = [];
let shown = 0;
let running = null;
let queued = null;

/** The state encoded in a URL's query string. */
function stateFromUrl(href) {
  const params = new URL(href).searchParams;
  const filters = {};
  for (const [group] of GROUPS) {
    const values = params.getAll(group).filter((value) => value !== "");
    if (values.length) filters[group] = values;
  }
  return { q: params.get("q") || "", sort: params.get("sort") === "newest" ? "newest" : "", filters };
}

/** The state the form shows now. */
function stateFromForm() {
  const data = new FormData(form);
  const filters = {};
  for (const [group] of GROUPS) {
    const values = data.getAll(group);
    if (values.length) filters[group] = values;
  }
  return { q: data.get("q") || "", sort: data.get("sort") || "", filters };
}

/** The search page's URL for a state; same shape as the form's own GET submission. */
function urlFor(state) {
  const params = new URLSearchParams();
  if (state.q) params.append("q", state.q);
  if (state.sort) params.append("sort", state.sort);
  for (const [group] of GROUPS) {
    for (const value of state.filters[group] || []) params.append(group, value);
  }
  const query = params.toString();
  return form.action.split("?")[0] + (query ? `?${query}` : "");
}

/** Put a state into the form's controls. */
function showState(state) {
  form.elements.q.value = state.q;
  form.elements.sort.value = state.sort;
  for (const box of groupsBox.querySelectorAll("input[type=checkbox]")) {
    box.checked = (state.filters[box.name] || []).includes(box.value);
  }
  clearButton.hidden = Object.keys(state.filters).length === 0;
}

/** Pagefind's filter argument: any of the values within a group, all groups together. */
function pagefindFilters(filters, except) {
  const result = {};
  for (const [group, values] of Object.entries(filters)) {
    if (group !== except && values.length) result[group] = { any: values };
  }
  return result;
}

/** Counts for each group with a selection, counted with the other groups' selections only. */
async function selectedGroupCounts(term, state, sort) {
  const counts = {};
  await Promise.all(Object.keys(state.filters).map(async (group) => {
    const without = await pagefind.search(term, { filters: pagefindFilters(state.filters, group), sort });
    counts[group] = without.filters[group] || {};
  }));
  return counts;
}

/** One fieldset of checkboxes per filter group, built once from the index's values. */
function buildGroups(available) {
  for (const [group, legendText] of GROUPS) {
    const values = Object.keys(available[group] || {});
    if (!values.length) continue;
    values.sort(group === "year" ? (a, b) => b.localeCompare(a) : (a, b) => a.localeCompare(b));
    const fieldset = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = legendText;
    const items = document.createElement("ul");
    for (const value of values) items.append(checkboxItem(group, value));
    fieldset.append(legend, items);
    groupsBox.append(fieldset);
  }
}

/** A list item holding one labelled checkbox and its count. */
function checkboxItem(group, value) {
  const item = document.createElement("li");
  const label = document.createElement("label");
  const box = document.createElement("input");
  box.type = "checkbox";
  box.name = group;
  box.value = value;
  const count = document.createElement("span");
  count.className = "count";
  label.append(box, ` ${value} `, count);
  item.append(label);
  return item;
}

/** Write the current counts next to every checkbox. */
function showCounts(counts) {
  for (const box of groupsBox.querySelectorAll("input[type=checkbox]")) {
    const count = (counts[box.name] || {})[box.value] || 0;
    box.parentElement.querySelector(".count").textContent = `(${count})`;
  }
}

/** A result card: title link, region, summary and themes. */
function card(data) {
  const article = document.createElement("article");
  article.className = "card";
  const heading = document.createElement("h3");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  article.append(heading);
  for (const [field, className] of [["region", "card-meta"], ["summary", "card-summary"], ["themes", "card-themes"]]) {
    if (!data.meta[field]) continue;
    const line = document.createElement("p");
    line.className = className;
    line.textContent = data.meta[field];
    article.append(line);
  }
  const item = document.createElement("li");
  item.append(article);
  return item;
}

/** Append the next page of result cards; false if a newer search started meanwhile. */
async function showMore(mine) {
  const next = results.slice(shown, shown + PAGE_SIZE);
  // Fetched together, shown in order as soon as each arrives: the first card need not wait for the last.
  for (const pending of next.map((result) => result.data())) {
    const data = await pending;
    if (mine !== sequence) return false;
    list.append(card(data));
  }
  shown += next.length;
  moreButton.hidden = shown >= results.length;
  moreButton.textContent = `Show more results (${shown} of ${results.length} shown)`;
  return true;
}

/** The sentence the live region announces. */
function countSentence(state, count) {
  const practices = `${count} practice${count === 1 ? "" : "s"}`;
  const filtered = Object.keys(state.filters).length > 0;
  if (!state.q.trim() && !filtered) return `${practices}, newest first.`;
  if (count === 0) return "No practices found. Try other words or fewer filters.";
  return `${practices} found${state.q.trim() ? ` for “${state.q.trim()}”` : ""}.`;
}

/** Run the search a state describes and show its results and counts. */
async function run(state) {
  const mine = ++sequence;
  resultsBox.setAttribute("aria-busy", "true");
  const term = state.q.trim() || null;
  // Without words there is no relevance to sort by: browse newest first.
  const sort = state.sort === "newest" || !term ? { published: "desc" } : {};
  const [main, selected] = await Promise.all([
    pagefind.search(term, { filters: pagefindFilters(state.filters), sort }),
    selectedGroupCounts(term, state, sort),
  ]);
  if (mine !== sequence) return;
  results = main.results;
  shown = 0;
  list.replaceChildren();
  if (!(await showMore(mine))) return;
  showCounts({ ...main.filters, ...selected });
  clearButton.hidden = Object.keys(state.filters).length === 0;
  countLine.textContent = countSentence(state, results.length);
  resultsBox.setAttribute("aria-busy", queued ? "true" : "false");
}

/** Search for `state` after the search under way, if any: keystrokes never pile searches up. */
async function schedule(state) {
  queued = state;
  if (running) return running;
  running = (async () => {
    while (queued) {
      const next = queued;
      queued = null;
      await run(next);
    }
    running = null;
  })();
  return running;
}

/** Record the form's state in the history, then search. */
function update(push) {
  const state = stateFromForm();
  const url = urlFor(state);
  if (url !== window.location.href) {
    if (push) window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }
  schedule(state);
}

/** Load Pagefind from the site's own bundle and wire the form up. */
async function start() {
  document.querySelector("#search-needs-js").hidden = true;
  root.hidden = false;
  try {
    pagefind = await import(new URL(root.dataset.pagefindPath + "pagefind.js", window.location.href).href);
    await pagefind.options({ baseUrl: root.dataset.baseUrl });
    await pagefind.init();
    buildGroups(await pagefind.filters());
  } catch (error) {
    countLine.textContent = "The search index could not be loaded. Please try again later, or browse the practices.";
    resultsBox.setAttribute("aria-busy", "false");
    throw error;
  }
  form.addEventListener("submit", (event) => { event.preventDefault(); update(true); });
  form.elements.q.addEventListener("input", () => update(false));
  form.addEventListener("change", (event) => { if (event.target.name !== "q") update(true); });
  clearButton.addEventListener("click", () => {
    for (const box of groupsBox.querySelectorAll("input:checked")) box.checked = false;
    update(true);
    form.elements.q.focus();
  });
  moreButton.addEventListener("click", async () => {
    const first = shown;
    if (await showMore(sequence)) list.children[first]?.querySelector("a")?.focus();
  });
  window.addEventListener("popstate", () => { const state = stateFromUrl(window.location.href); showState(state); schedule(state); });
  const state = stateFromUrl(window.location.href);
  showState(state);
  await schedule(state);
}

start();
