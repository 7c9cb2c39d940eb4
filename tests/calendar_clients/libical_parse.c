/* Parse an iCalendar document from stdin with libical (Evolution's and many servers' parser)
 * and print each event as a tab-separated line: uid, start and end in UTC, sequence, status.
 * Times are resolved through the document's own VTIMEZONEs, as libical's clients do. */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static void print_utc(struct icaltimetype moment) {
    time_t seconds = icaltime_as_timet_with_zone(moment, moment.zone);
    char text[32];
    strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", gmtime(&seconds));
    fputs(text, stdout);
}

int main(void) {
    size_t size = 0, capacity = 1 << 16;
    char *text = malloc(capacity);
    size_t read;
    while ((read = fread(text + size, 1, capacity - size - 1, stdin)) > 0) {
        size += read;
        if (capacity - size < 2) text = realloc(text, capacity *= 2);
    }
    text[size] = '\0';
    icalcomponent *calendar = icalparser_parse_string(text);
    if (calendar == NULL) {
        fprintf(stderr, "libical could not parse the document\n");
        return 1;
    }
    for (icalcomponent *event = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT);
         event != NULL; event = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
        const char *status = icalproperty_status_to_string(icalcomponent_get_status(event));
        printf("%s\t", icalcomponent_get_uid(event));
        print_utc(icalcomponent_get_dtstart(event));
        putchar('\t');
        print_utc(icalcomponent_get_dtend(event));
        printf("\t%d\t%s\n", icalcomponent_get_sequence(event), status);
    }
    icalcomponent_free(calendar);
    free(text);
    return 0;
}
