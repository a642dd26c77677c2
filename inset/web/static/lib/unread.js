// The unread count in the header, kept current by whichever page marks notifications read.
const listeners = new Set();

export function onUnreadChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function setUnread(count) {
  listeners.forEach((listener) => listener(count));
}
