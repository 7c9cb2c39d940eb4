// On a first visit, remember the browser's time zone and show the page once more in it.
// The page works without this: in the meeting's zone, or the one chosen with ?tz=.
const info = document.getElementById("zone-detection");
const cookie = info && info.dataset.cookie;
const known = cookie && document.cookie.split("; ").some((pair) => pair.startsWith(`${cookie}=`));

const asked = new URLSearchParams(window.location.search).has("tz");

if (info && info.dataset.inAddress && !info.dataset.viewerZone && !asked) {
  // In a frame on another site, where its cookies may be refused: say the zone in the address.
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && /^[A-Za-z0-9_+\-/]+$/.test(zone) && zone !== info.dataset.meetingZone) {
    const address = new URL(window.location.href);
    address.searchParams.set("tz", zone);
    window.location.replace(address.toString());
  }
} else if (info && !known && !info.dataset.viewerZone) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  // IANA names need no escaping ("America/Argentina/Buenos_Aires"); anything else is not one.
  if (zone && /^[A-Za-z0-9_+\-/]+$/.test(zone)) {
    document.cookie = `${cookie}=${zone}; path=/; max-age=31536000; SameSite=Lax`;
    const stored = document.cookie.split("; ").some((pair) => pair.startsWith(`${cookie}=`));
    // Only when the cookie took (no reload loop where cookies are refused) and the zone adds something.
    if (stored && zone !== info.dataset.meetingZone) {
      window.location.reload();
    }
  }
}
