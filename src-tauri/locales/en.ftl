### Outage Radar: every text a person reads, in English.
### Each id exists in every language with the same variables (a test holds the files to it).
### `--json` output, log lines, config keys and the status pages' own text never come from here.

# The language's own name, as the Settings language list shows it.
language-name = English

## A page's or component's state, lower case inside sentences: "OpenAI (degraded)"

status-operational = operational
status-maintenance = under maintenance
status-degraded = degraded
status-partial-outage = partial outage
status-major-outage = major outage

## Why a page's state is not known, lower case inside sentences

health-unknown = checking…
health-unreachable = unreachable
health-stale = no data for a while
health-changed-format = page changed format
# Probes fail but the status page says nothing yet (early warning).
health-suspected = possible outage

## The window's state column and the tray's states, capitalized

state-operational = Operational
state-maintenance = Maintenance
state-degraded = Degraded
state-partial-outage = Partial outage
state-major-outage = Major outage
state-unreachable = Unreachable
state-stale = No data for a while
state-changed-format = Page changed format
state-unknown = Not checked yet
state-offline = Offline
state-suspected = Possible outage

## How bad an incident is, as the vendor says

impact-none = none
impact-maintenance = maintenance
impact-minor = minor
impact-major = major
impact-critical = critical
# "major impact"
impact-phrase = { $impact } impact

## Where an incident stands

phase-investigating = investigating
phase-identified = identified
phase-monitoring = monitoring
phase-resolved = resolved
phase-postmortem = postmortem
phase-scheduled = scheduled
phase-in-progress = in progress
phase-verifying = verifying
phase-completed = completed
phase-unknown = unknown

kind-incident = incident
kind-maintenance = maintenance

# "Affects: API, ChatGPT"
affects = Affects: { $components }

## Durations, compact: "59 s", "12 min", "1 h 12 min", "2 d 3 h"

duration-seconds = { $s } s
duration-minutes = { $m } min
duration-hours = { $h } h
duration-hours-minutes = { $h } h { $m } min
duration-days = { $d } d
duration-days-hours = { $d } d { $h } h

## Relative times. Past a week they read as dates.

time-just-now = just now
# $duration: "3 min", "1 h 12 min"
time-ago = { $duration } ago
time-days-ago = { $days ->
    [one] { $days } day ago
   *[other] { $days } days ago
}
time-on-date = on { $date }
# How long something has been going on: "for 19 h 2 min".
time-for = for { $duration }
time-since-date = since { $date }
time-unknown = time unknown

## Dates and times. English uses the 24-hour clock, as the app always has (en-GB style).

# $month: 1 to 12
month = { $month ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
}
# $weekday: 1 (Monday) to 7 (Sunday), before a time: "Thu 08:00"
weekday = { $weekday ->
    [1] Mon
    [2] Tue
    [3] Wed
    [4] Thu
    [5] Fri
    [6] Sat
   *[7] Sun
}
# "16 June 2020"; $month is the month's name
date = { $day } { $month } { $year }
# $hh and $mm: two digits each
clock = { $hh }:{ $mm }
# "Thu 08:00"
weekday-time = { $weekday } { $time }
# "16 June 2020, 14:05"
date-time = { $date }, { $time }
# $value is already written with the decimal mark below: "99.95 %"
percent = { $value } %
decimal-mark = .

## The one-line summary at the top of the tray menu and the window

summary-no-services = No services watched
summary-offline = Offline: no status page reachable
summary-not-readable = Not readable: { $list }
summary-checking = Checking…
summary-all-operational = All operational
summary-incidents = { $count ->
    [one] { $count } incident
   *[other] { $count } incidents
}: { $list }
# One entry of a summary list: "OpenAI (major)"
summary-item = { $name } ({ $state })
summary-not-readable-count = { $summary } · { $count } not readable
summary-paused = Paused until { $until } · { $summary }
summary-history-unwritable = History not saved · { $summary }
summary-suspected = Possible outage: { $list } (not on its status page yet)
# Something else is wrong too: "1 incident: GitHub (minor) · possible outage: OpenAI"
summary-and-suspected = { $summary } · possible outage: { $list }

## The tray menu and tooltip

tray-tooltip = Outage Radar — { $summary }
# One service in the menu: "OpenAI: operational"
tray-service = { $name }: { $state }
# Its probes fail while its page shows nothing.
tray-service-suspected = { $name }: { $state } · possible outage (probes failing)
# "Tell me when it's back": a check item per service that is down or suspected, checked while armed.
tray-remind = Tell me when { $name } is back
# The menu is narrow: "under maintenance" reads as plain "maintenance" there.
tray-maintenance = maintenance
tray-open = Open Outage Radar
tray-check-now = Check now
tray-pause = Pause notifications
tray-pause-hours = { $hours ->
    [one] For { $hours } hour
   *[other] For { $hours } hours
}
# $time: "08:00"
tray-pause-tomorrow = Until tomorrow { $time }
tray-resume = Resume notifications
tray-launch-at-login = Launch at login
tray-quit = Quit

## Notifications. Titles lead with the service; bodies name what changed.

# "OpenAI — outage began"
notify-title = { $service } — { $what }
notify-start-failed-title = Outage Radar could not start
notify-config-unreadable-title = Your config edit could not be read
notify-history-unwritable-title = Outage Radar cannot save its history
notify-history-unwritable-body = { $error }. Alerts still pop up, but are not remembered until it can save again. Free some disk space.
# The one pop-up a service's recovery makes when the user asked for it.
notify-back-title = { $service } is back
notify-back-body = No open incident, every component operational: you asked to be told.
# Several changes in one poll, led by the most important: "OpenAI: major outage — Elevated errors"
notify-lead-title = { $service }: { $what } — { $subject }
notify-grouped-title = { $service } — { $count ->
    [one] { $count } update
   *[other] { $count } updates
}
# One line of a grouped body: "Resolved: Slow Actions"
notify-grouped-line = { $what }: { $subject }
notify-quiet-summary-title = { $count ->
    [one] While quiet hours were on: { $count } change
   *[other] While quiet hours were on: { $count } changes
}
notify-more = { $count ->
    [one] and { $count } more change
   *[other] and { $count } more changes
}
# "Investigating · major impact"
notify-detail = { $phase } · { $impact }
notify-outage-began = outage began
notify-incident-began = incident began
notify-reopened = reopened
notify-ongoing = ongoing
notify-cause-identified = cause identified
notify-fix-monitored = fix being monitored
notify-resolved = resolved
notify-resolved-after = resolved after { $duration }
notify-maintenance-started = maintenance started
notify-maintenance-completed = maintenance completed
notify-maintenance-completed-after = maintenance completed after { $duration }
notify-maintenance-upcoming = maintenance in { $duration } (at { $time })
notify-still-ongoing = still ongoing
notify-still-ongoing-for = still ongoing ({ $duration } so far)
# "API partial outage"
notify-component-status = { $component } { $status }
notify-component-recovered = { $component } recovered
# "API: operational → partial outage"
notify-component-change = { $component }: { $from } → { $to }
notify-component-operational-again = { $component } is operational again
notify-action-open = Open status page

## Early warning: the service's own addresses fail before its status page says so

early-title = Possible outage of { $service } — not on its status page yet
early-title-short = Possible outage of { $service }
# One probe's evidence: "api.openai.com answered 503 three times"
early-evidence = { $target } { $reason } { $times }
# A probe that failed in several ways: "api.openai.com failed three times (answered 503, did not answer in time)"
early-evidence-mixed = { $target } failed { $times } ({ $reasons })
# "api.openai.com answered 503 three times since 04:50"
early-evidence-since = { $evidence } since { $time }
# A grouped notification's line for it
early-what = possible outage, not on its status page yet
# Honest about what was measured: an unauthenticated probe sees the front door.
early-caveat = A probe without a key sees the front door only: an outage behind it can still be missed.
early-reason-status = answered { $status }
early-reason-refused = refused the connection
early-reason-reset = dropped the connection
early-reason-tls = failed the TLS handshake
early-reason-timeout = did not answer in time
early-reason-dns = did not resolve (DNS)
early-reason-other = could not be reached
early-times = { $count ->
    [0] zero times
    [1] once
    [2] twice
    [3] three times
    [4] four times
    [5] five times
    [6] six times
    [7] seven times
    [8] eight times
    [9] nine times
    [10] ten times
   *[other] { $count } times
}
# When the status page confirms: "Outage Radar knew 12 min before the status page"
early-lead = Outage Radar suspected it { $duration } before the status page.
early-confirmed-title = { $service }: confirmed by its status page
early-cleared-title = { $service } answers again
early-cleared-body = The possible outage since { $time } never showed on the status page.
early-cleared-what = answers again
early-cleared-kept = Kept in history as an unconfirmed blip.
early-slow = { $target } is slow ({ $latency } instead of { $median })
early-held-offline = Probes paused: this computer seems to be offline
early-rate-limited = { $target } asks to slow down; probing later

## Webhooks

webhook-heading = Webhooks
webhook-url-label = Webhook address
webhook-send-test = Send test
webhook-sending = Sending…
webhook-test-sent = Test sent
webhook-test-title = Outage Radar — test message
webhook-test-body =
    If you can read this, Outage Radar’s alerts will arrive here.
    Sent from Settings at { $time }.
webhook-delivered = Delivered (HTTP { $status })
webhook-not-delivered-retry = Not delivered: { $reason }. A real alert would be tried again.
webhook-not-delivered-final = Not delivered: { $reason }. A real alert would not be retried.
webhook-not-delivered = Not delivered
webhook-note-target-removed = dropped: the target was removed
webhook-note-target-gone = dropped: no configured target for it any more
webhook-error-status = { $target } answered HTTP { $status }
webhook-error-timeout = { $target } did not answer in time
webhook-error-connect = Cannot connect to { $target }
webhook-error-url = { $url } is not an https:// address
webhook-remove = Remove webhook

## Notices in the window's banner

notice-history-recovered = The history database was unreadable ({ $reason }); it was kept as { $path } and a new one was started.
notice-config-unreadable = Your config could not be read, so the built-in services are watched until it is fixed: { $error }
notice-config-edit-unreadable = Your last edit of the config could not be read, so the settings in force before it stay until it is fixed: { $error }
notice-history-unwritable = The history cannot be written ({ $error }): alerts still pop up, but they are not remembered, so one may show again after a restart. Free some disk space.

## The window: header, tabs and banner

window-loading = Loading…
window-check-now = Check now
window-check-now-hint = Poll every page now
window-tabs-label = Views
tab-now = Now
tab-incidents = Incidents
tab-reliability = Reliability
tab-settings = Settings
banner-offline = Offline: no status page could be reached. Showing the last known state; nothing is announced until the network is back.
# A page we cannot read: "OpenAI: Unreachable — timed out"
banner-service = { $name }: { $state }
banner-service-error = { $name }: { $state } — { $error }
banner-paused = Notifications paused until { $until }.
# "Unavailable: the watcher has stopped"
window-error = { $kind }: { $message }
error-kind-invalid = Invalid
error-kind-unavailable = Unavailable
error-kind-not-found = Not found
error-kind-storage = History
error-kind-ipc = Window

## The Now view

now-open-heading = Open now
now-no-open = No open incidents or maintenances.
now-services-heading = Services
now-last-check = Last check { $time }
now-not-checked = Not checked yet
# $ago: "3 min ago", "on 16 June 2020"
incident-started = started { $ago }
incident-resolved = resolved { $ago }
incident-timeline = Timeline
incident-status-page = Status page ↗
# A service whose probes fail while its page shows nothing: "Operational · Possible outage"
now-state-suspected = { $state } · { $suspected }
# The page's own word is milder than what it lists; $page and $listed are lower-case states.
now-page-says = The page itself says { $page }, but what it lists says { $listed }.
# A service that is down or suspected: one pop-up at its next recovery, even when muted.
now-remind = Tell me when it’s back
now-remind-hint = One pop-up when it recovers, even if its notifications are muted
# $time: "08:05"
now-remind-armed = You will be told when it’s back (asked at { $time })
now-remind-cancel = Cancel

## Early warning in the Now view: what the service's own probes say

probe-suspected-since = Possible outage, not on its status page yet — since { $time }
probe-caveat = Probes without a key see the front door only: an outage behind it can still be missed.
probe-hold-no-witness = Probes cannot be judged: no other address to compare with, so your own network could be the cause.
probe-hold-offline = Probes failed along with everything else: your network, not theirs.
probe-hold-slow = Probes answer, but far slower than usual.
probe-hold-inconclusive = Probes are rate-limited: no verdict this round.
probe-hold-settling = Probe failures are not counted for a short while after a wake from sleep or a network change.
# $targets: "api.openai.com, chatgpt.com"
probe-targets = Probes: { $targets }
probe-strip-label = Last { $count } probe rounds: { $failing } failing, slowest { $ms } ms
# One round of the latency strip: "08:05: 120 ms"
probe-round = { $time }: { $what }
probe-round-failing = failing
probe-round-no-answer = no answer
probe-round-ms = { $ms } ms

## The Incidents view and a timeline

incidents-filter-service = Service
incidents-all-services = All services
incidents-filter-state = State
incidents-state-any = Open and resolved
incidents-state-open = Open
incidents-state-resolved = Resolved
incidents-search = Search
incidents-search-placeholder = Search titles and updates
incidents-none = No incidents match.
timeline-label = Timeline
timeline-lasted = lasted { $duration }
# $since: "for 19 h 2 min", "since 16 June 2020"
timeline-open = open { $since }
timeline-phases = Phases
timeline-updates = Updates
timeline-back = ← Back
timeline-official-page = Official page ↗
# Our own step, before the page's first: probes failed first.
timeline-suspected-step = Outage Radar: possible outage
timeline-lead = { $duration } before the status page

## The Reliability view

reliability-note = From the history kept on this machine (plus what each page’s own history gave at the first read). Maintenances are not counted.
# Column head: "7 d"
reliability-window = { $days } d
reliability-row-incidents = Incidents
reliability-row-impacted = Impacted
reliability-row-available = Available
reliability-none = —
reliability-mttr = mean time to resolve { $duration }
reliability-nothing-resolved = nothing resolved in { $days } days
reliability-longest = longest { $duration }
reliability-open-now = { $count } open now
reliability-history-since = history since { $date }
reliability-no-history = no history yet
reliability-strip = Last { $days } days: { $bad } with incidents
reliability-day = { $count ->
    [one] { $date }: { $count } incident, { $duration } impacted
   *[other] { $date }: { $count } incidents, { $duration } impacted
}
reliability-day-clear = { $date }: no incidents
# Early warning's record: "Early warning, 90 d: 3 confirmed (median 12 min before the status page) · 1 unconfirmed blip"
reliability-detection = Early warning, { $days } d: { $confirmed } confirmed ({ $lead }) · { $blips ->
    [one] { $blips } unconfirmed blip
   *[other] { $blips } unconfirmed blips
}
reliability-detection-lead = median { $duration } before the status page
reliability-detection-no-lead = no lead over the status page

## The Settings view

settings-watched-heading = Watched services
settings-catalog-heading = Add from the catalog
settings-catalog-placeholder = Search { $count } services (name or ai, cloud, developer…)
settings-catalog-label = Search the catalog
settings-url-heading = Add by address
settings-url-label = Status page address
settings-detect = Detect
settings-detecting = Detecting…
settings-detected-name = Name
# "Atlassian Statuspage · operational · 12 components · 1 open"
settings-detected-info = { $format } · { $status } · { $components ->
    [one] { $components } component
   *[other] { $components } components
} · { $open } open
settings-add = Add
settings-remove = Remove
settings-remove-service = Remove { $name }
settings-watch-service = Watch { $name }
settings-already-watched = { $name } is already watched
settings-notify-label = Notify for { $name }
settings-notify-all = All incidents
settings-notify-major = Major and worse
settings-notify-muted = Muted
settings-updates-label = Updates for { $name }
settings-updates-all = Every update
settings-updates-begin-end = Begin and end only
settings-components-label = Components of { $name }
settings-components-placeholder = Components to follow (comma-separated; empty = all)
settings-notifications-heading = Notifications
settings-quiet-hours = Quiet hours
settings-quiet-from = Quiet from
settings-quiet-until = Quiet until
settings-quiet-mode = During quiet hours
settings-quiet-queue = Show them afterwards
settings-quiet-drop = Keep them in history only
# The poll interval's label is split around its number field: "Check every [60] seconds".
settings-poll-before = Check every
settings-poll-after = seconds
settings-launch-at-login = Launch at login
settings-language = Language
settings-language-system = System
settings-save = Save
settings-discard = Discard changes
settings-saving = Saving…
settings-saved = Saved
settings-unsaved = Unsaved changes
settings-saved-in = Saved in { $path }
settings-early-heading = Early warning
settings-early-probes = Addresses to probe (one per line)
settings-early-enabled = Probe the services themselves, to warn before their status pages do
# The probe interval's label is split around its number field: "Probe every [60] seconds".
settings-probe-before = Probe every
settings-early-service = Early warning for { $name }
settings-early-probe = Early warning: probe { $targets }

## The catalog's categories and the status-page formats

category-ai = AI
category-cloud = Cloud
category-communication = Communication
category-developer = Developer tools
category-payments = Payments
category-productivity = Productivity
format-slack = Slack status API
format-google = Google status incidents
format-heroku = Heroku status API
format-feed = RSS/Atom feed

## Errors the window and the command line show

error-watcher-stopped = the watcher has stopped
error-not-a-url = not a URL: { $error }
error-refused-scheme = refusing to open a { $scheme } link
error-no-browser = cannot start the system browser
error-search-too-long = search text is too long
# $what: one of the error-field-… words
error-text-length = { $what } must be 1 to { $max } bytes
error-field-service-id = service id
error-field-incident-id = incident id
error-field-url = URL
error-no-incident = no incident { $incident } of { $service }
error-remind-unknown = no watched service is called { $service } (watched: { $names })
error-remind-gone = { $service } is no longer watched
error-remind-not-down = { $service } is not down or suspected: there is no recovery to wait for
error-remind-storage = the reminder cannot be saved: { $error }
error-no-config-location = no config location on this system: start with --config FILE
error-launch-at-login = cannot change launch at login: { $error }
error-no-data-dir = no data directory: pass --data-dir or set OUTAGE_RADAR_DATA_DIR
error-config-read = cannot read config { $path }: { $error }
error-config-invalid = config { $path }, line { $line }, column { $column }: { $message }
error-config-write = cannot save config { $path }: { $error }
error-config-changed-on-disk = { $path } was changed since these settings were opened, so they were not saved (that would undo the change). Close and reopen Settings to see it, then make your changes again.
error-config-webhook = webhook { $index }: { $message }
error-poll-interval = poll_interval_secs must be between 1 and { $max }, not { $value }
error-service-name-empty = service name is empty
error-service-not-in-catalog = { $name } has no `url` and is not in the built-in catalog (`outage-radar catalog` lists it)
error-service-name-twice = two services are named { $name } (names must differ)
error-not-a-time = { $value } is not a time like “22:30”
error-url-unparsable = { $url } is not a URL: { $error }
error-url-insecure = { $url }: only https:// is allowed (plain http:// only for loopback addresses)
error-url-scheme = { $url }: unsupported scheme { $scheme }
error-fetch-timeout = { $url }: timed out
error-fetch-connect = { $url }: cannot connect ({ $reason })
error-fetch-status = { $url }: HTTP { $status }
error-fetch-rate-limited = { $url }: rate limited (HTTP { $status })
error-fetch-rate-limited-retry = { $url }: rate limited (HTTP { $status }), retry after { $secs } s
error-fetch-too-large = { $url }: response larger than { $limit } bytes
error-detect-not-found = { $url }: unknown format: none of the known status-page formats answered
error-history-damaged = history database { $path } is damaged: { $detail }
error-history-too-new = history database { $path } was written by a newer Outage Radar (schema { $found }, this build knows { $known })
error-no-main-endpoint = { $service }: no main endpoint
error-unknown-format = unknown format { $format } (known: { $known })
error-parse-not-the-format = expected { $expected }, got { $got }
error-parse-malformed = { $expected } is malformed: { $detail }
error-url-no-host = { $url } has no host
error-probe-credentials = { $url }: a probe never sends credentials; remove the user name and password
error-not-in-app = not running inside Outage Radar
error-runtime = cannot start the async runtime: { $error }
error-output = cannot write output: { $error }
error-no-desktop = this build has no desktop app (built without the `desktop` feature); use `watch --headless` or `check`

## The command line's human output (never `--json`)

cli-error = outage-radar: { $error }
# `check`: "OpenAI (statuspage): operational"
cli-check-head = { $service } ({ $format }): { $status }
cli-components = Components: { $count } ({ $troubled } not operational)
cli-component = { $name }: { $status }
# A page whose own word is milder than what it lists: "Page says: operational, but its components say: major outage"
cli-page-says = Page says: { $page }, but { $who }: { $status }
cli-worse-components = its components say
cli-worse-incidents = its open incidents say
cli-worse-maintenance = a maintenance under way says
cli-worse-listed = what it lists says
# "[identified, critical] Login failures since 2026-11-26 05:12 UTC"
cli-incident = [{ $phase }, { $impact }] { $title }
cli-incidents = Incidents:
cli-incidents-none = Incidents: none
cli-maintenances = Maintenances:
cli-maintenances-none = Maintenances: none
# $since: "2026-11-26 05:12 UTC"
cli-since = since { $since }
# `detect`
cli-detect-found = { $url }: { $label } ({ $format }), read from { $endpoint }
cli-detect-now = now: { $status } · { $components } components · { $incidents } open incidents
cli-detect-add = Add to your config.toml:
# `catalog`
cli-catalog-default = (default)
cli-catalog-count = { $count } services
# `watch --headless`: "14:05:09 OpenAI incident opened: Elevated errors"
cli-watch-line = { $time } { $service } { $event }
cli-watch-line-title = { $time } { $service } { $event }: { $title }
event-baseline = first read
event-incident-opened = incident opened
event-incident-updated = incident updated
event-incident-resolved = incident resolved
event-maintenance-started = maintenance started
event-maintenance-completed = maintenance completed
event-maintenance-upcoming = maintenance soon
event-component-degraded = component degraded
event-component-recovered = component recovered
event-reminder = reminder
event-source-unreachable = page unreachable
event-source-changed-format = page changed format
event-source-recovered = page readable again
event-offline = offline
event-online = online
event-notified = notified
event-suspected-outage = possible outage
event-suspicion-cleared = probes answer again
event-webhook-delivered = webhook delivered
event-webhook-retrying = webhook will be retried
event-webhook-failed = webhook failed
event-history-unwritable = history cannot be saved
event-history-recovered = history saved again
# `demo`: the outage replayed. The story's times are the real ones, in the vendor's zone.
cli-demo-intro = Outage Radar demo: the ChatGPT/API outage replayed in { $secs } s on this machine (no network; your config and history are not touched).
    The API fails at 04:50; its status page says “investigating” at 05:12, “identified” at 05:43, “monitoring” at 07:09 and “resolved” at 07:40.
cli-demo-watch-tray = Watch the tray icon and the notifications; quit from the tray menu when done.
# "[story 04:57]"
cli-demo-story-clock = story { $time }
cli-demo-line = { $service } { $event }
cli-demo-line-title = { $service } { $event }: { $title }
cli-demo-event-lead = (Outage Radar knew { $secs } s earlier)
# $replay: "9.2"; $story: "19 min"
cli-demo-lead-words = { $replay } s in this replay, { $story } in the real story
cli-demo-finish-lead = Outage Radar suspected the outage { $lead } before the status page said a word.
cli-demo-finish-no-lead = The status page spoke first this time: no lead was measured.

## The desktop entry (packaging/outage-radar.desktop repeats these; a test compares)

desktop-generic-name = Status page notifier
desktop-comment = Tells you when the services you depend on go down

## Settings: forwarding to a team (webhooks)

settings-webhooks-heading = Forward to your team
settings-webhooks-note = Every change that pops up here is also posted to these webhooks (also during quiet hours and pauses). Their addresses are credentials: only the host and the start of the path are shown.
settings-webhook-kind = Webhook kind
settings-webhook-kind-slack = Slack
settings-webhook-kind-discord = Discord
settings-webhook-kind-teams = Teams (Workflows)
settings-webhook-kind-ntfy = ntfy
settings-webhook-kind-json = JSON (your own receiver)
settings-webhook-not-a-url = (not a URL)
settings-webhook-not-saved = Not saved yet
settings-webhook-pending = { $count } waiting
settings-webhook-error = Last error { $ago }: { $error }
settings-webhook-delivered = Last delivered { $ago }
settings-webhook-nothing-sent = Nothing sent yet
settings-webhook-test-label = Send a test to { $target }
settings-webhook-remove-label = Remove { $target }
settings-webhook-every-change = Every change
settings-webhook-major-only = Major outages only
settings-webhook-which-label = Which changes go to { $target }
settings-webhook-services-placeholder = Only these services (comma-separated; empty = all)
settings-webhook-services-label = Services for { $target }
settings-webhook-secret = Signing secret (optional)
settings-webhook-secret-replace = Signed: type a new secret to replace it
settings-webhook-secret-label = Signing secret for { $target }
settings-webhook-clear-secret = Clear secret

## First start and desktops without a tray

notray-title = No tray on this desktop.
notray-body = Outage Radar’s icon needs a system tray, and this desktop shows none. On GNOME, install and turn on the AppIndicator and KStatusNotifierItem Support extension: the icon then appears without a restart.
notray-meanwhile = Notifications work meanwhile. Closing this window keeps Outage Radar running; start it again from the application menu to bring the window back.
notray-got-it = Got it
# The one notification after the window was closed on a desktop without a tray.
notray-still-running-title = Outage Radar is still running
notray-still-running-body = It keeps watching and will notify you when a service goes down. Start Outage Radar again from the application menu to open its window.
welcome-label = Welcome
welcome-title = Welcome to Outage Radar
welcome-intro = It reads the status pages of the services you depend on and tells you with a notification when one of them has an outage, as it moves on, and when it is resolved. It also probes the services themselves, to warn before their pages do.
welcome-watched = Watched now
welcome-choose = Choose others, or add any status page by its address, in
welcome-where = Where it lives
welcome-tray = Its icon sits in the system tray (the top bar or the taskbar) and takes the colour of the worst state; its menu opens this window. Closing the window keeps it running.
welcome-no-tray = This desktop shows no tray icons (see above), so this window is the app for now: closing it keeps Outage Radar running, and starting it again from the application menu brings the window back.
welcome-see = See it work
welcome-demo = No need to wait for an outage: this command in a terminal replays a real one, with its notifications:
# A command, the same in every language.
welcome-demo-command = outage-radar demo
welcome-done = Show the services

## status and check-now

cli-status-paused = Notifications paused until { $until }
cli-status-checked = Last checked { $at }
cli-status-note = Note: { $note }
cli-check-now-done = Outage Radar is checking every service now.
cli-remind-armed = You will be told once when { $service } is back, even if its notifications are muted.
cli-remind-already = A reminder for { $service } was already set: you will be told once when it is back.
cli-remind-cancelled = The reminder for { $service } is cancelled.
cli-remind-not-armed = No reminder was set for { $service }.

## The demo's errors

error-demo-create = cannot create { $path }: { $error }
error-demo-write = cannot write { $path }: { $error }
error-demo-start = cannot start the replay: { $error }
error-demo-not-started = the replay did not start
error-demo-no-desktop = this build has no desktop app; run `outage-radar demo --headless`
error-demo-unresolved = the replay ended before the page said resolved

## What the engine answers its window and CLI when it cannot

error-encode = cannot encode the answer: { $error }
error-headless-no-window = this engine runs headless: it has no window
error-subscribe-reply = subscribe is answered by pushes, not a reply
error-not-for-window = the window may not ask “{ $command }” of the engine
error-query-failed = the query failed: { $error }
error-headless-login-item = launch at login is set from the desktop app, not a headless engine
settings-unnamed-service = Service

## Acknowledgment: how late each page admits outages (report and Reliability)
ack-not-enough = not enough data
ack-honest = Acknowledgment counts the outages a status page posted after Outage Radar had a sign of them (its probes’ suspicion, or a component that broke before any incident): the delay is from that sign to the page’s first word. Suspicions the page never posted count as 4 hours in the grade (A ≤ 15 min, B ≤ 30, C ≤ 60, D ≤ 120, E ≤ 240, F above or nothing acknowledged; fewer than 3 make no grade). A probe without an API key sees the service’s front door only, not everything its users see.
reliability-ack-heading = How fast the page admits outages
reliability-ack-window = { $days } d: { $grade }
reliability-ack-summary = { $acknowledged ->
    [one] 1 outage acknowledged after our first sign
   *[other] { $acknowledged } outages acknowledged after our first sign
}, median { $median }, mean { $mean } · { $never } never acknowledged ({ $share })
reliability-ack-summary-none = No outage acknowledged after our first sign · { $never } never acknowledged
reliability-ack-nothing = No outage seen before its page yet: nothing to grade.
reliability-ack-chart = Delay of each acknowledgment over { $days } days, longest { $longest }
reliability-ack-point-probe = { $date }: the page spoke { $delay } after the probes suspected it
reliability-ack-point-component = { $date }: the page posted { $delay } after a component broke
cli-report-days = --days must be between 1 and { $max }
cli-report-no-history = no history in { $path } yet: Outage Radar has not watched anything with this data folder
cli-report-heading = Reliability over the last { $days } days
cli-report-never-read = not read yet: no figures
cli-report-uptime = uptime { $uptime } · { $count ->
    [one] 1 incident
   *[other] { $count } incidents
} ({ $critical } critical, { $major } major, { $minor } minor)
cli-report-early = early warning: { $confirmed } confirmed ({ $lead }) · { $blips ->
    [one] 1 unconfirmed blip
   *[other] { $blips } unconfirmed blips
}
cli-report-ack = acknowledgment grade: { $grade }
cli-report-ack-delays = the page spoke a median { $median } after our first sign (mean { $mean })
cli-report-ack-counts = { $acknowledged } acknowledged, { $never } never
