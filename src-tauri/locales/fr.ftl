### Outage Radar : chaque texte qu’une personne lit, en français.
### Chaque identifiant existe dans toutes les langues avec les mêmes variables (un test y veille).
### Typographie : espace insécable (U+00A0) avant « : », entre un nombre et son unité et dans
### les guillemets ; espace fine insécable (U+202F) avant « ; ! ? » et « % » ; apostrophe ’.

language-name = Français

## L’état d’une page ou d’un composant, en minuscules dans une phrase : « OpenAI (dégradé) »

status-operational = opérationnel
status-maintenance = en maintenance
status-degraded = dégradé
status-partial-outage = panne partielle
status-major-outage = panne majeure

## Pourquoi l’état d’une page n’est pas connu

health-unknown = vérification…
health-unreachable = injoignable
health-stale = sans données depuis un moment
health-changed-format = format de page modifié
health-suspected = panne possible

## La colonne d’état de la fenêtre, avec majuscule

state-operational = Opérationnel
state-maintenance = Maintenance
state-degraded = Dégradé
state-partial-outage = Panne partielle
state-major-outage = Panne majeure
state-unreachable = Injoignable
state-stale = Sans données depuis un moment
state-changed-format = Format de page modifié
state-unknown = Pas encore vérifié
state-offline = Hors ligne
state-suspected = Panne possible

## La gravité d’un incident, selon l’éditeur (accordée avec « incident »)

impact-none = aucun
impact-maintenance = maintenance
impact-minor = mineur
impact-major = majeur
impact-critical = critique
impact-phrase = impact { $impact }

## Où en est un incident (masculin) ou une maintenance (féminin)

phase-investigating = enquête en cours
phase-identified = identifié
phase-monitoring = sous surveillance
phase-resolved = résolu
phase-postmortem = post-mortem
phase-scheduled = planifiée
phase-in-progress = en cours
phase-verifying = vérification
phase-completed = terminée
phase-unknown = inconnu

kind-incident = incident
kind-maintenance = maintenance

affects = Concerne : { $components }

## Durées, forme courte : « 59 s », « 12 min », « 1 h 12 min », « 2 j 3 h »

duration-seconds = { $s } s
duration-minutes = { $m } min
duration-hours = { $h } h
duration-hours-minutes = { $h } h { $m } min
duration-days = { $d } j
duration-days-hours = { $d } j { $h } h

## Temps relatifs ; au-delà d’une semaine, une date

time-just-now = à l’instant
time-ago = il y a { $duration }
time-days-ago = { $days ->
    [one] il y a { $days } jour
   *[other] il y a { $days } jours
}
time-on-date = le { $date }
time-for = depuis { $duration }
time-since-date = depuis le { $date }
time-unknown = heure inconnue

## Dates et heures, sur 24 heures

month = { $month ->
    [1] janvier
    [2] février
    [3] mars
    [4] avril
    [5] mai
    [6] juin
    [7] juillet
    [8] août
    [9] septembre
    [10] octobre
    [11] novembre
   *[12] décembre
}
weekday = { $weekday ->
    [1] lundi
    [2] mardi
    [3] mercredi
    [4] jeudi
    [5] vendredi
    [6] samedi
   *[7] dimanche
}
# « 1er juin 2020 », « 16 juin 2020 »
date = { $day ->
    [1] 1er
   *[other] { $day }
} { $month } { $year }
clock = { $hh }:{ $mm }
weekday-time = { $weekday } { $time }
date-time = { $date } à { $time }
percent = { $value } %
decimal-mark = ,

## La ligne de résumé en tête du menu et de la fenêtre

summary-no-services = Aucun service surveillé
summary-offline = Hors ligne : aucune page de statut joignable
summary-not-readable = Pages illisibles : { $list }
summary-checking = Vérification…
summary-all-operational = Tout est opérationnel
summary-incidents = { $count ->
    [one] { $count } incident
   *[other] { $count } incidents
} : { $list }
summary-item = { $name } ({ $state })
summary-not-readable-count = { $summary } · { $count ->
    [one] { $count } page illisible
   *[other] { $count } pages illisibles
}
summary-paused = En pause jusqu’à { $until } · { $summary }
summary-history-unwritable = Historique non enregistré · { $summary }
summary-suspected = Panne possible : { $list } (pas encore sur sa page de statut)
summary-and-suspected = { $summary } · panne possible : { $list }

## Le menu et l’infobulle de la zone de notification

tray-tooltip = Outage Radar — { $summary }
tray-service = { $name } : { $state }
tray-service-suspected = { $name } : { $state } · panne possible (sondes en échec)
tray-remind = Me prévenir quand { $name } sera rétabli
tray-maintenance = maintenance
tray-open = Ouvrir Outage Radar
tray-check-now = Vérifier maintenant
tray-pause = Suspendre les notifications
tray-pause-hours = { $hours ->
    [one] Pendant { $hours } heure
   *[other] Pendant { $hours } heures
}
tray-pause-tomorrow = Jusqu’à demain { $time }
tray-resume = Reprendre les notifications
tray-launch-at-login = Lancer à l’ouverture de session
tray-quit = Quitter

## Notifications

notify-title = { $service } — { $what }
notify-start-failed-title = Outage Radar n’a pas pu démarrer
notify-config-unreadable-title = Votre modification de la configuration n’a pas pu être lue
notify-history-unwritable-title = Outage Radar ne peut pas enregistrer son historique
notify-history-unwritable-body = { $error }. Les alertes s’affichent toujours, mais ne sont pas mémorisées tant qu’il ne peut pas enregistrer. Libérez de l’espace disque.
notify-back-title = { $service } est rétabli
notify-back-body = Aucun incident ouvert, tous les composants fonctionnent : vous aviez demandé à être prévenu.
notify-lead-title = { $service } : { $what } — { $subject }
notify-grouped-title = { $service } — { $count ->
    [one] { $count } mise à jour
   *[other] { $count } mises à jour
}
notify-grouped-line = { $what } : { $subject }
notify-quiet-summary-title = { $count ->
    [one] Pendant les heures calmes : { $count } changement
   *[other] Pendant les heures calmes : { $count } changements
}
notify-more = { $count ->
    [one] et { $count } autre changement
   *[other] et { $count } autres changements
}
notify-detail = { $phase } · { $impact }
notify-outage-began = début de panne
notify-incident-began = début d’incident
notify-reopened = rouvert
notify-ongoing = en cours
notify-cause-identified = cause identifiée
notify-fix-monitored = correctif sous surveillance
notify-resolved = résolu
notify-resolved-after = résolu en { $duration }
notify-maintenance-started = début de maintenance
notify-maintenance-completed = maintenance terminée
notify-maintenance-completed-after = maintenance terminée en { $duration }
notify-maintenance-upcoming = maintenance dans { $duration } (à { $time })
notify-still-ongoing = toujours en cours
notify-still-ongoing-for = toujours en cours (depuis { $duration })
notify-component-status = { $component } : { $status }
notify-component-recovered = { $component } rétabli
notify-component-change = { $component } : { $from } → { $to }
notify-component-operational-again = { $component } est de nouveau opérationnel
notify-action-open = Ouvrir la page de statut

## Alerte précoce : les adresses du service échouent avant que sa page de statut ne le dise

early-title = Panne possible de { $service } — pas encore sur sa page de statut
early-title-short = Panne possible de { $service }
early-evidence = { $target } { $reason } { $times }
early-evidence-mixed = { $target } a échoué { $times } ({ $reasons })
early-evidence-since = { $evidence } depuis { $time }
early-what = panne possible, pas encore sur sa page de statut
early-caveat = Une sonde sans clé ne voit que la porte d’entrée : une panne derrière peut encore lui échapper.
early-reason-status = a répondu { $status }
early-reason-refused = a refusé la connexion
early-reason-reset = a coupé la connexion
early-reason-tls = a échoué à la négociation TLS
early-reason-timeout = n’a pas répondu à temps
early-reason-dns = n’a pas pu être résolu (DNS)
early-reason-other = n’a pas pu être joint
early-times = { $count ->
    [0] zéro fois
    [1] une fois
    [2] deux fois
    [3] trois fois
    [4] quatre fois
    [5] cinq fois
    [6] six fois
    [7] sept fois
    [8] huit fois
    [9] neuf fois
    [10] dix fois
   *[other] { $count } fois
}
early-lead = Outage Radar l’a soupçonnée { $duration } avant la page de statut.
early-confirmed-title = { $service } : panne confirmée par sa page de statut
early-cleared-title = { $service } répond de nouveau
early-cleared-body = La panne possible depuis { $time } n’est jamais apparue sur la page de statut.
early-cleared-what = répond de nouveau
early-cleared-kept = Gardée dans l’historique comme une alerte non confirmée.
early-slow = { $target } est lent ({ $latency } au lieu de { $median })
early-held-offline = Sondes en pause : cet ordinateur semble hors ligne
early-rate-limited = { $target } demande de ralentir ; nouvel essai plus tard

## Webhooks

webhook-heading = Webhooks
webhook-url-label = Adresse du webhook
webhook-send-test = Envoyer un test
webhook-sending = Envoi…
webhook-test-sent = Test envoyé
webhook-test-title = Outage Radar — message de test
webhook-test-body =
    Si vous lisez ceci, les alertes d’Outage Radar arriveront ici.
    Envoyé depuis les Réglages à { $time }.
webhook-delivered = Remis (HTTP { $status })
webhook-not-delivered-retry = Non remis : { $reason }. Une vraie alerte serait réessayée.
webhook-not-delivered-final = Non remis : { $reason }. Une vraie alerte ne serait pas réessayée.
webhook-not-delivered = Non remis
webhook-note-target-removed = abandonné : la cible a été supprimée
webhook-note-target-gone = abandonné : plus aucune cible configurée pour lui
webhook-error-status = { $target } a répondu HTTP { $status }
webhook-error-timeout = { $target } n’a pas répondu à temps
webhook-error-connect = Connexion impossible à { $target }
webhook-error-url = { $url } n’est pas une adresse https://
webhook-remove = Supprimer le webhook

## Avis dans le bandeau de la fenêtre

notice-history-recovered = La base d’historique était illisible ({ $reason }) ; elle a été conservée sous { $path } et une nouvelle a été créée.
notice-config-unreadable = Votre configuration n’a pas pu être lue ; les services intégrés sont surveillés en attendant qu’elle soit corrigée : { $error }
notice-config-edit-unreadable = Votre dernière modification de la configuration n’a pas pu être lue ; les réglages en vigueur avant elle restent appliqués jusqu’à ce qu’elle soit corrigée : { $error }
notice-history-unwritable = L’historique ne peut pas être écrit ({ $error }) : les alertes s’affichent toujours, mais elles ne sont pas mémorisées et l’une d’elles pourrait réapparaître après un redémarrage. Libérez de l’espace disque.

## La fenêtre : en-tête, onglets et bandeau

window-loading = Chargement…
window-check-now = Vérifier
window-check-now-hint = Interroger toutes les pages maintenant
window-tabs-label = Vues
tab-now = État
tab-incidents = Incidents
tab-reliability = Fiabilité
tab-settings = Réglages
banner-offline = Hors ligne : aucune page de statut n’a pu être jointe. Affichage du dernier état connu ; rien n’est annoncé avant le retour du réseau.
banner-service = { $name } : { $state }
banner-service-error = { $name } : { $state } — { $error }
banner-paused = Notifications suspendues jusqu’au { $until }.
window-error = { $kind } : { $message }
error-kind-invalid = Saisie invalide
error-kind-unavailable = Indisponible
error-kind-not-found = Introuvable
error-kind-storage = Historique
error-kind-ipc = Fenêtre

## La vue État

now-open-heading = En cours
now-no-open = Aucun incident ni maintenance en cours.
now-services-heading = Services
now-last-check = Dernière vérification : { $time }
now-not-checked = Pas encore vérifié
incident-started = commencé { $ago }
incident-resolved = résolu { $ago }
incident-timeline = Chronologie
incident-status-page = Page de statut ↗
now-state-suspected = { $state } · { $suspected }
now-page-says = La page elle-même indique « { $page } », mais ce qu’elle liste indique « { $listed } ».
now-remind = Me prévenir quand ce sera rétabli
now-remind-hint = Une notification au rétablissement, même si ses notifications sont coupées
now-remind-armed = Vous serez prévenu au rétablissement (demandé à { $time })
now-remind-cancel = Annuler

## Alerte précoce dans la vue Maintenant : ce que disent les sondes du service

probe-suspected-since = Panne possible, pas encore sur sa page de statut — depuis { $time }
probe-caveat = Des sondes sans clé ne voient que la porte d’entrée : une panne derrière peut encore leur échapper.
probe-hold-no-witness = Sondes impossibles à juger : aucune autre adresse pour comparer, votre propre réseau pourrait être en cause.
probe-hold-offline = Les sondes ont échoué comme tout le reste : c’est votre réseau, pas le leur.
probe-hold-slow = Les sondes répondent, mais bien plus lentement que d’habitude.
probe-hold-inconclusive = Les sondes sont limitées en débit : pas de verdict pour ce tour.
probe-hold-settling = Les échecs des sondes ne comptent pas pendant un court moment après une sortie de veille ou un changement de réseau.
probe-targets = Sondes : { $targets }
probe-strip-label = { $count } derniers tours de sondes : { $failing } en échec, le plus lent { $ms } ms
probe-round = { $time } : { $what }
probe-round-failing = en échec
probe-round-no-answer = pas de réponse
probe-round-ms = { $ms } ms

## La vue Incidents et la chronologie d’un incident

incidents-filter-service = Service
incidents-all-services = Tous les services
incidents-filter-state = État
incidents-state-any = Ouverts et résolus
incidents-state-open = Ouverts
incidents-state-resolved = Résolus
incidents-search = Rechercher
incidents-search-placeholder = Rechercher dans les titres et les mises à jour
incidents-none = Aucun incident ne correspond.
timeline-label = Chronologie
timeline-lasted = a duré { $duration }
timeline-open = ouvert { $since }
timeline-phases = Phases
timeline-updates = Mises à jour
timeline-back = ← Retour
timeline-official-page = Page officielle ↗
timeline-suspected-step = Outage Radar : panne possible
timeline-lead = { $duration } avant la page de statut

## La vue Fiabilité

reliability-note = D’après l’historique conservé sur cet ordinateur (plus ce que l’historique de chaque page a fourni à la première lecture). Les maintenances ne sont pas comptées.
reliability-window = { $days } j
reliability-row-incidents = Incidents
reliability-row-impacted = Perturbé
reliability-row-available = Disponibilité
reliability-none = —
reliability-mttr = délai moyen de résolution : { $duration }
reliability-nothing-resolved = rien de résolu en { $days } jours
reliability-longest = le plus long : { $duration }
reliability-open-now = { $count ->
    [one] { $count } ouvert en ce moment
   *[other] { $count } ouverts en ce moment
}
reliability-history-since = historique depuis le { $date }
reliability-no-history = pas encore d’historique
reliability-strip = { $days } derniers jours : { $bad ->
    [one] { $bad } jour avec incident
   *[other] { $bad } jours avec incidents
}
reliability-day = { $count ->
    [one] { $date } : { $count } incident, { $duration } de perturbation
   *[other] { $date } : { $count } incidents, { $duration } de perturbation
}
reliability-day-clear = { $date } : aucun incident
reliability-detection = Alerte précoce, { $days } j : { $confirmed ->
    [one] { $confirmed } confirmée
   *[other] { $confirmed } confirmées
} ({ $lead }) · { $blips ->
    [one] { $blips } alerte non confirmée
   *[other] { $blips } alertes non confirmées
}
reliability-detection-lead = en médiane { $duration } avant la page de statut
reliability-detection-no-lead = aucune avance sur la page de statut

## La vue Réglages

settings-watched-heading = Services surveillés
settings-catalog-heading = Ajouter depuis le catalogue
settings-catalog-placeholder = Rechercher parmi { $count } services (nom, ou ai, cloud, developer…)
settings-catalog-label = Rechercher dans le catalogue
settings-url-heading = Ajouter par adresse
settings-url-label = Adresse de la page de statut
settings-detect = Détecter
settings-detecting = Détection…
settings-detected-name = Nom
settings-detected-info = { $format } · { $status } · { $components ->
    [one] { $components } composant
   *[other] { $components } composants
} · { $open ->
    [one] { $open } ouvert
   *[other] { $open } ouverts
}
settings-add = Ajouter
settings-remove = Retirer
settings-remove-service = Retirer { $name }
settings-watch-service = Surveiller { $name }
settings-already-watched = { $name } est déjà surveillé
settings-notify-label = Notifications pour { $name }
settings-notify-all = Tous les incidents
settings-notify-major = Majeurs et plus graves
settings-notify-muted = Silencieux
settings-updates-label = Mises à jour pour { $name }
settings-updates-all = Chaque mise à jour
settings-updates-begin-end = Début et fin seulement
settings-components-label = Composants de { $name }
settings-components-placeholder = Composants à suivre (séparés par des virgules ; vide = tous)
settings-notifications-heading = Notifications
settings-quiet-hours = Heures de silence
settings-quiet-from = Silence à partir de
settings-quiet-until = Silence jusqu’à
settings-quiet-mode = Pendant les heures de silence
settings-quiet-queue = Les afficher ensuite
settings-quiet-drop = Les garder seulement dans l’historique
settings-poll-before = Vérifier toutes les
settings-poll-after = secondes
settings-launch-at-login = Lancer à l’ouverture de session
settings-language = Langue
settings-language-system = Système
settings-save = Enregistrer
settings-discard = Abandonner les modifications
settings-saving = Enregistrement…
settings-saved = Enregistré
settings-unsaved = Modifications non enregistrées
settings-saved-in = Enregistré dans { $path }
settings-early-heading = Alerte précoce
settings-early-probes = Adresses à sonder (une par ligne)
settings-early-enabled = Sonder les services eux-mêmes, pour prévenir avant leurs pages de statut
settings-probe-before = Sonder toutes les
settings-early-service = Alerte précoce pour { $name }
settings-early-probe = Alerte précoce : sonder { $targets }

## Catégories du catalogue et formats de page

category-ai = IA
category-cloud = Cloud
category-communication = Communication
category-developer = Outils de développement
category-payments = Paiement
category-productivity = Productivité
format-slack = API de statut Slack
format-google = Incidents de statut Google
format-heroku = API de statut Heroku
format-feed = Flux RSS/Atom

## Erreurs affichées par la fenêtre et la ligne de commande

error-watcher-stopped = la surveillance est arrêtée
error-not-a-url = ce n’est pas une URL : { $error }
error-refused-scheme = refus d’ouvrir un lien { $scheme }
error-no-browser = impossible de lancer le navigateur du système
error-search-too-long = le texte recherché est trop long
error-text-length = { $what } doit faire de 1 à { $max } octets
error-field-service-id = l’identifiant du service
error-field-incident-id = l’identifiant de l’incident
error-field-url = l’URL
error-no-incident = aucun incident { $incident } pour { $service }
error-remind-unknown = aucun service surveillé ne s’appelle { $service } (surveillés : { $names })
error-remind-gone = { $service } n’est plus surveillé
error-remind-not-down = { $service } n’est ni en panne ni suspect : il n’y a pas de rétablissement à attendre
error-remind-storage = le rappel ne peut pas être enregistré : { $error }
error-no-config-location = aucun emplacement de configuration sur ce système : lancez avec --config FICHIER
error-launch-at-login = impossible de modifier le lancement à l’ouverture de session : { $error }
error-no-data-dir = aucun dossier de données : passez --data-dir ou définissez OUTAGE_RADAR_DATA_DIR
error-config-read = impossible de lire la configuration { $path } : { $error }
error-config-invalid = configuration { $path }, ligne { $line }, colonne { $column } : { $message }
error-config-write = impossible d’enregistrer la configuration { $path } : { $error }
error-config-changed-on-disk = { $path } a été modifié depuis l’ouverture de ces réglages ; ils n’ont donc pas été enregistrés (cela annulerait la modification). Fermez puis rouvrez les Réglages pour la voir, puis refaites vos changements.
error-config-webhook = webhook { $index } : { $message }
error-poll-interval = poll_interval_secs doit être compris entre 1 et { $max }, pas { $value }
error-service-name-empty = le nom du service est vide
error-service-not-in-catalog = { $name } n’a pas d’`url` et ne figure pas dans le catalogue intégré (`outage-radar catalog` le liste)
error-service-name-twice = deux services s’appellent { $name } (les noms doivent différer)
error-not-a-time = { $value } n’est pas une heure comme « 22:30 »
error-url-unparsable = { $url } n’est pas une URL : { $error }
error-url-insecure = { $url } : seul https:// est autorisé (http:// simple uniquement pour les adresses locales)
error-url-scheme = { $url } : schéma non pris en charge { $scheme }
error-fetch-timeout = { $url } : délai dépassé
error-fetch-connect = { $url } : connexion impossible ({ $reason })
error-fetch-status = { $url } : HTTP { $status }
error-fetch-rate-limited = { $url } : trop de requêtes (HTTP { $status })
error-fetch-rate-limited-retry = { $url } : trop de requêtes (HTTP { $status }), nouvel essai dans { $secs } s
error-fetch-too-large = { $url } : réponse de plus de { $limit } octets
error-detect-not-found = { $url } : format inconnu (aucun des formats de page de statut connus n’a répondu)
error-history-damaged = la base d’historique { $path } est endommagée : { $detail }
error-history-too-new = la base d’historique { $path } a été écrite par une version plus récente d’Outage Radar (schéma { $found }, cette version connaît le { $known })
error-no-main-endpoint = { $service } : pas d’adresse principale
error-unknown-format = format inconnu { $format } (connus : { $known })
error-parse-not-the-format = { $expected } attendu, { $got } reçu
error-parse-malformed = { $expected } mal formé : { $detail }
error-url-no-host = { $url } n’a pas d’hôte
error-probe-credentials = { $url } : une sonde n’envoie jamais d’identifiants ; retirez le nom d’utilisateur et le mot de passe
error-not-in-app = ne s’exécute pas dans Outage Radar
error-runtime = impossible de démarrer l’exécution asynchrone : { $error }
error-output = impossible d’écrire la sortie : { $error }
error-no-desktop = cette version n’a pas d’application de bureau (compilée sans la fonctionnalité `desktop`) ; utilisez `watch --headless` ou `check`

## La sortie lisible de la ligne de commande (jamais `--json`)

cli-error = outage-radar : { $error }
cli-check-head = { $service } ({ $format }) : { $status }
cli-components = Composants : { $count } ({ $troubled ->
    [one] { $troubled } non opérationnel
   *[other] { $troubled } non opérationnels
})
cli-component = { $name } : { $status }
cli-page-says = La page indique : { $page }, mais { $who } : { $status }
cli-worse-components = ses composants indiquent
cli-worse-incidents = ses incidents ouverts indiquent
cli-worse-maintenance = une maintenance en cours indique
cli-worse-listed = ce qu’elle liste indique
cli-incident = [{ $phase }, { $impact }] { $title }
cli-incidents = Incidents :
cli-incidents-none = Incidents : aucun
cli-maintenances = Maintenances :
cli-maintenances-none = Maintenances : aucune
cli-since = depuis le { $since }
cli-detect-found = { $url } : { $label } ({ $format }), lu depuis { $endpoint }
cli-detect-now = actuellement : { $status } · { $components ->
    [one] { $components } composant
   *[other] { $components } composants
} · { $incidents ->
    [one] { $incidents } incident ouvert
   *[other] { $incidents } incidents ouverts
}
cli-detect-add = À ajouter à votre config.toml :
cli-catalog-default = (par défaut)
cli-catalog-count = { $count ->
    [one] { $count } service
   *[other] { $count } services
}
cli-watch-line = { $time } { $service } { $event }
cli-watch-line-title = { $time } { $service } { $event } : { $title }
event-baseline = première lecture
event-incident-opened = incident ouvert
event-incident-updated = incident mis à jour
event-incident-resolved = incident résolu
event-maintenance-started = maintenance commencée
event-maintenance-completed = maintenance terminée
event-maintenance-upcoming = maintenance prochaine
event-component-degraded = composant dégradé
event-component-recovered = composant rétabli
event-reminder = rappel
event-source-unreachable = page injoignable
event-source-changed-format = format de page modifié
event-source-recovered = page de nouveau lisible
event-offline = hors ligne
event-online = en ligne
event-notified = notifié
event-suspected-outage = panne possible
event-suspicion-cleared = les sondes répondent à nouveau
event-webhook-delivered = webhook remis
event-webhook-retrying = webhook bientôt renvoyé
event-webhook-failed = webhook en échec
event-history-unwritable = historique impossible à enregistrer
event-history-recovered = historique de nouveau enregistré
cli-demo-intro = Démo d’Outage Radar : la panne de ChatGPT et de l’API rejouée en { $secs } s sur cet ordinateur (sans réseau ; votre configuration et votre historique ne sont pas touchés).
    L’API tombe à 04:50 ; sa page de statut indique « investigating » à 05:12, « identified » à 05:43, « monitoring » à 07:09 et « resolved » à 07:40.
cli-demo-watch-tray = Regardez l’icône de la barre d’état et les notifications ; quittez depuis le menu de l’icône à la fin.
cli-demo-story-clock = histoire { $time }
cli-demo-line = { $service } { $event }
cli-demo-line-title = { $service } { $event } : { $title }
cli-demo-event-lead = (Outage Radar l’a su { $secs } s plus tôt)
cli-demo-lead-words = { $replay } s dans ce rejeu, { $story } dans l’histoire réelle
cli-demo-finish-lead = Outage Radar a soupçonné la panne { $lead } avant que la page de statut ne dise un mot.
cli-demo-finish-no-lead = La page de statut a parlé la première cette fois : aucune avance mesurée.

## L’entrée de bureau (packaging/outage-radar.desktop les reprend ; un test compare)

desktop-generic-name = Alertes des pages de statut
desktop-comment = Vous prévient quand les services dont vous dépendez tombent en panne

## Réglages : transmettre à une équipe (webhooks)

settings-webhooks-heading = Transmettre à votre équipe
settings-webhooks-note = Chaque changement annoncé ici est aussi envoyé à ces webhooks (même pendant les heures calmes et les pauses). Leurs adresses sont des secrets : seuls l’hôte et le début du chemin sont affichés.
settings-webhook-kind = Type de webhook
settings-webhook-kind-slack = Slack
settings-webhook-kind-discord = Discord
settings-webhook-kind-teams = Teams (Workflows)
settings-webhook-kind-ntfy = ntfy
settings-webhook-kind-json = JSON (votre propre récepteur)
settings-webhook-not-a-url = (pas une adresse)
settings-webhook-not-saved = Pas encore enregistré
settings-webhook-pending = { $count } en attente
settings-webhook-error = Dernière erreur { $ago } : { $error }
settings-webhook-delivered = Dernier envoi remis { $ago }
settings-webhook-nothing-sent = Rien d’envoyé pour l’instant
settings-webhook-test-label = Envoyer un test à { $target }
settings-webhook-remove-label = Supprimer { $target }
settings-webhook-every-change = Chaque changement
settings-webhook-major-only = Pannes majeures seulement
settings-webhook-which-label = Changements envoyés à { $target }
settings-webhook-services-placeholder = Seulement ces services (séparés par des virgules ; vide = tous)
settings-webhook-services-label = Services pour { $target }
settings-webhook-secret = Secret de signature (facultatif)
settings-webhook-secret-replace = Signé : saisissez un nouveau secret pour le remplacer
settings-webhook-secret-label = Secret de signature pour { $target }
settings-webhook-clear-secret = Effacer le secret

## Premier démarrage et bureaux sans zone de notification

notray-title = Pas de zone de notification sur ce bureau.
notray-body = L’icône d’Outage Radar a besoin d’une zone de notification, et ce bureau n’en affiche pas. Sous GNOME, installez et activez l’extension AppIndicator and KStatusNotifierItem Support : l’icône apparaît alors sans redémarrage.
notray-meanwhile = Les notifications fonctionnent en attendant. Fermer cette fenêtre laisse Outage Radar tourner ; relancez-le depuis le menu des applications pour retrouver la fenêtre.
notray-got-it = Compris
notray-still-running-title = Outage Radar tourne toujours
notray-still-running-body = Il continue de surveiller et vous préviendra quand un service tombe en panne. Relancez Outage Radar depuis le menu des applications pour ouvrir sa fenêtre.
welcome-label = Bienvenue
welcome-title = Bienvenue dans Outage Radar
welcome-intro = Il lit les pages de statut des services dont vous dépendez et vous prévient par une notification quand l’un d’eux subit une panne, à chaque étape, puis quand elle est résolue. Il sonde aussi les services eux-mêmes, pour prévenir avant leurs pages.
welcome-watched = Surveillés en ce moment
welcome-choose = Choisissez-en d’autres, ou ajoutez n’importe quelle page de statut par son adresse, dans les
welcome-where = Où le trouver
welcome-tray = Son icône se trouve dans la zone de notification (la barre du haut ou la barre des tâches) et prend la couleur du pire état ; son menu ouvre cette fenêtre. Fermer la fenêtre le laisse tourner.
welcome-no-tray = Ce bureau n’affiche pas d’icônes de notification (voir ci-dessus) : cette fenêtre est donc l’application pour l’instant. La fermer laisse Outage Radar tourner, et le relancer depuis le menu des applications ramène la fenêtre.
welcome-see = Le voir à l’œuvre
welcome-demo = Inutile d’attendre une panne : cette commande, dans un terminal, en rejoue une vraie, avec ses notifications :
# A command, the same in every language.
welcome-demo-command = outage-radar demo
welcome-done = Afficher les services

## status et check-now

cli-status-paused = Notifications suspendues jusqu’au { $until }
cli-status-checked = Dernière vérification : { $at }
cli-status-note = Remarque : { $note }
cli-check-now-done = Outage Radar vérifie tous les services maintenant.
cli-remind-armed = Vous serez prévenu une fois quand { $service } sera rétabli, même si ses notifications sont coupées.
cli-remind-already = Un rappel pour { $service } était déjà demandé : vous serez prévenu une fois à son rétablissement.
cli-remind-cancelled = Le rappel pour { $service } est annulé.
cli-remind-not-armed = Aucun rappel n’était demandé pour { $service }.

## Les erreurs de la démo

error-demo-create = impossible de créer { $path } : { $error }
error-demo-write = impossible d’écrire { $path } : { $error }
error-demo-start = impossible de lancer la reconstitution : { $error }
error-demo-not-started = la reconstitution n’a pas démarré
error-demo-no-desktop = cette version n’a pas d’application de bureau ; lancez `outage-radar demo --headless`
error-demo-unresolved = la reconstitution s’est terminée avant que la page annonce la résolution

## Ce que le moteur répond à sa fenêtre et à la ligne de commande quand il ne peut pas

error-encode = impossible d’encoder la réponse : { $error }
error-headless-no-window = ce moteur tourne sans interface : il n’a pas de fenêtre
error-subscribe-reply = un abonnement reçoit des envois, pas une réponse
error-not-for-window = la fenêtre ne peut pas demander « { $command } » au moteur
error-query-failed = la requête a échoué : { $error }
error-headless-login-item = le lancement à l’ouverture de session se règle depuis l’application de bureau, pas depuis un moteur sans interface
settings-unnamed-service = Service

## Reconnaissance : avec quel retard chaque page admet les pannes (rapport et Fiabilité)
ack-not-enough = pas assez de données
ack-honest = La reconnaissance compte les pannes qu’une page de statut a publiées après qu’Outage Radar en a eu un signe (le soupçon de ses sondes, ou un composant tombé avant tout incident) : le délai va de ce signe au premier mot de la page. Les soupçons que la page n’a jamais publiés comptent pour 4 heures dans la note (A ≤ 15 min, B ≤ 30, C ≤ 60, D ≤ 120, E ≤ 240, F au-delà ou rien de reconnu ; moins de 3 ne font pas de note). Une sonde sans clé d’API ne voit que la porte d’entrée du service, pas tout ce que voient ses utilisateurs.
reliability-ack-heading = Avec quelle rapidité la page admet les pannes
reliability-ack-window = { $days } j : { $grade }
reliability-ack-summary = { $acknowledged ->
    [one] 1 panne reconnue après notre premier signe
   *[other] { $acknowledged } pannes reconnues après notre premier signe
}, médiane { $median }, moyenne { $mean } · { $never } jamais reconnue(s) ({ $share })
reliability-ack-summary-none = Aucune panne reconnue après notre premier signe · { $never } jamais reconnue(s)
reliability-ack-nothing = Aucune panne vue avant sa page pour l’instant : rien à noter.
reliability-ack-chart = Délai de chaque reconnaissance sur { $days } jours, le plus long : { $longest }
reliability-ack-point-probe = { $date } : la page a parlé { $delay } après le soupçon des sondes
reliability-ack-point-component = { $date } : la page a publié { $delay } après la chute d’un composant
cli-report-days = --days doit être compris entre 1 et { $max }
cli-report-no-history = pas encore d’historique dans { $path } : Outage Radar n’a rien surveillé avec ce dossier de données
cli-report-heading = Fiabilité sur les { $days } derniers jours
cli-report-never-read = pas encore lu : aucun chiffre
cli-report-uptime = disponibilité { $uptime } · { $count ->
    [one] 1 incident
   *[other] { $count } incidents
} ({ $critical } critique(s), { $major } majeur(s), { $minor } mineur(s))
cli-report-early = alerte précoce : { $confirmed } confirmée(s) ({ $lead }) · { $blips ->
    [one] 1 alerte non confirmée
   *[other] { $blips } alertes non confirmées
}
cli-report-ack = note de reconnaissance : { $grade }
cli-report-ack-delays = la page a parlé en médiane { $median } après notre premier signe (moyenne { $mean })
cli-report-ack-counts = { $acknowledged } reconnue(s), { $never } jamais
