"""The page's own CSS and script: live citation markers, the sources panel, notices.

The markers work with CSS alone (hover or focus shows the passage below the marker);
the script only places the passage where the scrolling chat cannot clip it.
"""

CSS = """
.ragqa-answer, .ragqa-refusal, .ragqa-notice { white-space: pre-wrap; }
.ragqa-streaming { opacity: 0.8; }
.ragqa-refusal { border-left: 4px solid #d97706; padding-left: 0.6em; }
.ragqa-unsure { border-left: 4px solid #facc15; padding-left: 0.6em; }
.ragqa-notice { border-left: 4px solid #dc2626; padding-left: 0.6em; }
.ragqa-asked { margin-top: 0.35em; font-size: 0.8em; color: #6b7280; }
.ragqa-label {
  display: inline-block; font-size: 0.75em; font-weight: 600; text-transform: uppercase;
  letter-spacing: 0.04em; color: #92400e; background: #fef3c7; border-radius: 4px;
  padding: 0 0.4em; margin-right: 0.3em;
}
a.ragqa-cite {
  position: relative; color: #1d4ed8; font-weight: 600; text-decoration: none;
  cursor: pointer; white-space: nowrap;
}
a.ragqa-cite:hover, a.ragqa-cite:focus { text-decoration: underline; }
.ragqa-tip {
  display: none; flex-direction: column; position: absolute; left: 0; top: 1.6em;
  z-index: 50; width: 26em; max-width: 70vw; max-height: 18em; overflow: hidden;
  white-space: normal; padding: 0.6em 0.8em; border: 1px solid #cbd5e1; border-radius: 6px;
  background: #ffffff; color: #111827; font-weight: 400; line-height: 1.4;
  box-shadow: 0 6px 18px rgba(0, 0, 0, 0.18); text-align: left;
}
a.ragqa-cite:hover .ragqa-tip, a.ragqa-cite:focus .ragqa-tip { display: flex; }
.ragqa-tip-title { display: block; font-weight: 600; }
.ragqa-tip-meta { display: block; font-size: 0.85em; color: #4b5563; margin-bottom: 0.3em; }
.ragqa-tip-text {
  display: block; white-space: pre-line; overflow: auto; min-height: 0; position: relative;
}
.ragqa-sources h3 { margin: 0 0 0.5em 0; font-size: 1.05em; }
.ragqa-sources-empty { color: #6b7280; }
.ragqa-source {
  border: 1px solid #e5e7eb; border-radius: 8px; padding: 0.6em 0.8em; margin-bottom: 0.7em;
  scroll-margin-top: 1em;
}
.ragqa-source:target { border-color: #1d4ed8; box-shadow: 0 0 0 2px #bfdbfe; }
.ragqa-source h4 { margin: 0; font-size: 1em; }
.ragqa-n { color: #1d4ed8; }
.ragqa-meta { margin: 0.2em 0 0.4em 0; font-size: 0.85em; color: #4b5563; }
.ragqa-source blockquote {
  margin: 0; padding-left: 0.6em; border-left: 3px solid #e5e7eb; line-height: 1.45;
  white-space: pre-line;
}
mark { background: #fde68a; color: inherit; padding: 0 0.1em; border-radius: 2px; }
.ragqa-summary ul { margin: 0.3em 0 0 1.2em; }
.ragqa-summary-failed { border-left: 4px solid #dc2626; padding-left: 0.6em; }
.ragqa-summary-ok { border-left: 4px solid #16a34a; padding-left: 0.6em; }
"""

# Hand-written: Gradio has no tooltip component for text inside chat messages. The chat
# scrolls, so an absolutely placed tooltip is cut off at its edges; this places it in
# viewport coordinates on whichever side of the marker has room, and scrolls the passage
# to its highlighted words (the title stays in view).
HEAD = """
<script>
(() => {
  const MARGIN = 8;
  function place(event) {
    const cite = event.target instanceof Element && event.target.closest("a.ragqa-cite");
    const tip = cite && cite.querySelector(".ragqa-tip");
    if (!tip) return;
    const box = cite.getBoundingClientRect();
    const width = Math.min(416, window.innerWidth * 0.7);
    const above = box.top - MARGIN;
    const below = window.innerHeight - box.bottom - MARGIN;
    tip.style.position = "fixed";
    const left = Math.min(box.left, window.innerWidth - width - MARGIN);
    tip.style.left = Math.max(MARGIN, left) + "px";
    if (below >= 240 || below >= above) {
      Object.assign(tip.style, {top: box.bottom + 4 + "px", bottom: "auto"});
      tip.style.maxHeight = Math.min(288, below) + "px";
    } else {
      Object.assign(tip.style, {bottom: window.innerHeight - box.top + 4 + "px", top: "auto"});
      tip.style.maxHeight = Math.min(288, above) + "px";
    }
    const text = tip.querySelector(".ragqa-tip-text");
    const mark = text && text.querySelector("mark");
    if (mark) requestAnimationFrame(() => { text.scrollTop = mark.offsetTop - 24; });
  }
  document.addEventListener("mouseover", place, true);
  document.addEventListener("focusin", place, true);
})();
</script>
"""
