// Parse an iCalendar document from stdin with Mozilla's ical.js (Thunderbird's parser)
// and print what a client would show, as JSON: calendar properties and each event in UTC.
import ICAL from "ical.js";
import { readFileSync } from "node:fs";

const text = readFileSync(0, "utf8");
const calendar = new ICAL.Component(ICAL.parse(text));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const utc = (time) => time.convertToZone(ICAL.Timezone.utcTimezone).toString();
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    summary: event.summary,
    description: event.description,
    location: event.location,
    start: utc(event.startDate),
    end: utc(event.endDate),
    tzid: event.startDate.zone ? event.startDate.zone.tzid : null,
    sequence: event.sequence,
    status: component.getFirstPropertyValue("status"),
    url: component.getFirstPropertyValue("url"),
  };
});
process.stdout.write(JSON.stringify({
  name: calendar.getFirstPropertyValue("name"),
  method: calendar.getFirstPropertyValue("method"),
  refresh: String(calendar.getFirstPropertyValue("refresh-interval")),
  events,
}));
