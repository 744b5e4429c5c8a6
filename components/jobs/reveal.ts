/**
 * On a phone the job appears below a long form: bring it into view after a submit. On wider screens
 * it sits beside the form and nothing moves.
 */
export function revealBelowFold(elementId: string) {
  requestAnimationFrame(() => {
    const element = document.getElementById(elementId);
    if (!element || element.getBoundingClientRect().top < window.innerHeight - 80) return;
    const reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    element.scrollIntoView({ behavior: reduce ? "auto" : "smooth", block: "start" });
  });
}
