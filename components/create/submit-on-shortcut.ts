/** Ctrl+Enter or Cmd+Enter anywhere in a form submits it, as in every chat and editor. */
export function submitOnShortcut(event: React.KeyboardEvent<HTMLFormElement>) {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.nativeEvent.isComposing) {
    event.preventDefault();
    event.currentTarget.requestSubmit();
  }
}
