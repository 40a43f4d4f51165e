// The page's address as a link to what is on it: "Copy link" writes the drawing (or test
// digit), the model and the section most in view into the fragment (share-link.js's format) and
// copies the address; on load and on every change of the fragment, the page shows what it holds.
// The section navigation links to the same sections, and marks the one a link would name.

import { $ } from "./shared.js";
import { linkFragment, parseFragment } from "./share-link.js";

/** The sections a link can open at: the page's top-level sections, by id. */
const linkableSections = () => [...document.querySelectorAll("main > section[id]")].map((section) => section.id);

export class PageLink {
  /**
   * @param {object} page
   * @param {string[]} page.models the manifest's model ids (what a link may name)
   * @param {import("./draw.js").DrawingPad} page.pad
   * @param {import("./model-picker.js").ModelPicker} page.picker
   * @param {() => number | null | undefined} page.shownDigit the test digit on the pad, null for
   *   a drawing, undefined for another image (which cannot travel in a link)
   * @param {(strokes: object[]) => void} page.showStrokes
   * @param {(index: number) => void} page.showDigit
   * @param {(message: string, kind?: string) => void} page.say a message under the pad
   */
  constructor(page) {
    this.page = page;
    $("copy-link").addEventListener("click", () => this.copy().catch((error) => page.say(error.message, "error")));
  }

  /** The link in the address's fragment, or null when there is none or it is damaged (then the
   *  pad says so, and the link changes nothing: on a fresh load the pad stays empty). */
  read() {
    try {
      return parseFragment(location.hash, { models: this.page.models, sections: linkableSections() });
    } catch (error) {
      this.page.say(`This link is damaged (${error.message}) and was ignored.`, "error");
      return null;
    }
  }

  /** From now on, a changed fragment switches the model it names and shows what it holds. */
  follow() {
    window.addEventListener("hashchange", () => {
      const link = this.read();
      if (!link) return;
      if (link.model && link.model !== this.page.picker.value) {
        this.page.picker.choose(link.model).then(() => this.show(link)).catch((error) => this.page.say(error.message, "error"));
      } else {
        this.show(link);
      }
    });
  }

  /** Shows what `link` holds: its strokes or test digit on the pad and its section in view. The
   *  caller has chosen its model. */
  show({ strokes, digit, section }) {
    if (strokes) {
      this.page.showStrokes(strokes);
      this.page.say("The drawing from the link.");
    } else {
      this.page.showDigit(digit);
    }
    if (section) document.getElementById(section).scrollIntoView();
  }

  /** Puts the drawing (or test digit), the model and the section most in view into the address,
   *  and copies it. */
  async copy() {
    const { pad, picker, say } = this.page;
    const digit = this.page.shownDigit();
    if (digit === undefined) {
      say("Only a drawing or a test digit can travel in a link, not this image.", "error");
      return;
    }
    if (pad.isEmpty) {
      say("Draw something first: the link holds the drawing.", "error");
      return;
    }
    const shareable = picker.isShipped;
    history.replaceState(null, "", `#${linkFragment({
      strokes: pad.strokes,
      digit,
      model: shareable ? picker.value : null,
      section: sectionInView(),
    })}`);
    const caveat = shareable ? "" : ` Your own model cannot travel in a link: it opens with ${picker.store.entry("drawing").name}.`;
    try {
      await navigator.clipboard.writeText(location.href);
      say(`Link copied: it opens this drawing as you see it now.${caveat}`);
    } catch (error) {
      say(`The address bar holds the link; copy it from there (the browser would not: ${error.message}).${caveat}`);
    }
  }
}

/** Marks the link of `nav` to the section being read as the current location, once per frame
 *  while the page scrolls, and keeps that link in view in a navigation narrower than its links
 *  (a phone's). */
export function markSectionInView(nav) {
  const list = nav.querySelector("ul");
  let current = null;
  let due = false;
  const mark = () => {
    due = false;
    const id = sectionBeingRead();
    if (id === current) return;
    current = id;
    for (const link of nav.querySelectorAll("a")) {
      if (link.hash === `#${id}`) {
        link.setAttribute("aria-current", "location");
        // Scrolls only the list, never the page (scrollIntoView could move both).
        const { offsetLeft, offsetWidth } = link;
        if (offsetLeft < list.scrollLeft || offsetLeft + offsetWidth > list.scrollLeft + list.clientWidth) {
          list.scrollLeft = offsetLeft - 12;
        }
      } else {
        link.removeAttribute("aria-current");
      }
    }
  };
  const schedule = () => {
    if (due) return;
    due = true;
    requestAnimationFrame(mark);
  };
  addEventListener("scroll", schedule, { passive: true });
  addEventListener("resize", schedule);
  // Sections not yet shown have a stand-in height (style.css): the page settles after a jump.
  const resized = new ResizeObserver(schedule);
  for (const id of linkableSections()) resized.observe(document.getElementById(id));
  schedule();
}

/** The id of the last section whose top has passed the upper third of the window; at the foot
 *  of the page, where a short last section can never reach that line, the last one in view. */
function sectionBeingRead() {
  const ids = linkableSections();
  const top = (id) => document.getElementById(id).getBoundingClientRect().top;
  const atFoot = scrollY + innerHeight >= document.documentElement.scrollHeight - 2;
  const line = atFoot ? innerHeight : innerHeight / 3;
  return ids.filter((id) => top(id) <= line).at(-1) ?? ids[0];
}

/** The id of the section that fills most of the window. */
function sectionInView() {
  let best = null;
  let bestHeight = 0;
  for (const id of linkableSections()) {
    const { top, bottom } = document.getElementById(id).getBoundingClientRect();
    const visible = Math.min(bottom, innerHeight) - Math.max(top, 0);
    if (visible > bestHeight) [best, bestHeight] = [id, visible];
  }
  return best;
}
