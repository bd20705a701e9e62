<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>AppPage</name>
    <message>
        <source>Back to apps</source>
        <translation>Zurück zu den Apps</translation>
    </message>
    <message>
        <source>Rebuild</source>
        <translation>Neu bauen</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>Neu starten</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stoppen</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <source>Terminal</source>
        <translation>Terminal</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Löschen…</translation>
    </message>
    <message>
        <source>Deploy</source>
        <translation>Deployment</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>Logs</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>Metriken</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>Umgebungsvariablen</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Git repository URL</source>
        <translation>URL des Git-Repositorys</translation>
    </message>
    <message>
        <source>Branch</source>
        <translation>Branch</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>(Standard)</translation>
    </message>
    <message>
        <source>Build commands</source>
        <translation>Build-Befehle</translation>
    </message>
    <message>
        <source>Run command</source>
        <translation>Startbefehl</translation>
    </message>
    <message>
        <source>Port inside the container</source>
        <translation>Port im Container</translation>
    </message>
    <message>
        <source>Memory (MiB)</source>
        <translation>Arbeitsspeicher (MiB)</translation>
    </message>
    <message>
        <source>CPUs</source>
        <translation>CPUs</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Eigentümer</translation>
    </message>
    <message>
        <source>Restarts</source>
        <translation>Neustarts</translation>
    </message>
    <message>
        <source>Delete %1?</source>
        <translation>%1 löschen?</translation>
    </message>
    <message>
        <source>Its container, sources, route and deploy history are removed. This cannot be undone.</source>
        <translation>Container, Quellen, Route und Deployment-Verlauf werden entfernt. Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <source>Push to deploy</source>
        <translation>Push zum Deployen</translation>
    </message>
    <message>
        <source>(the Procfile&apos;s web: line)</source>
        <translation>(die web:-Zeile der Procfile)</translation>
    </message>
    <message>
        <source>Health check</source>
        <translation>Health-Check</translation>
    </message>
    <message>
        <source>Pinned to</source>
        <translation>Festgelegt auf</translation>
    </message>
    <message>
        <source>commit %1 (a rollback, until the next rebuild)</source>
        <translation>Commit %1 (ein Rollback, bis zum nächsten Neubau)</translation>
    </message>
    <message>
        <source>(the branch&apos;s head)</source>
        <translation>(der Stand des Branches)</translation>
    </message>
    <message>
        <source>Shell (SSH)</source>
        <translation>Shell (SSH)</translation>
    </message>
    <message>
        <source>(the SSH service is off)</source>
        <translation>(der SSH-Dienst ist aus)</translation>
    </message>
    <message>
        <source>Files (SFTP, scp -P)</source>
        <translation>Dateien (SFTP, scp -P)</translation>
    </message>
</context>
<context>
    <name>AppsPage</name>
    <message>
        <source>Apps</source>
        <translation>Apps</translation>
    </message>
    <message numerus="yes">
        <source>%n app(s)</source>
        <translation>
            <numerusform>%n App</numerusform>
            <numerusform>%n Apps</numerusform>
        </translation>
    </message>
    <message>
        <source>Filter by name, language, state…</source>
        <translation>Nach Name, Sprache, Zustand filtern…</translation>
    </message>
    <message>
        <source>Sort by name</source>
        <translation>Nach Name sortieren</translation>
    </message>
    <message>
        <source>Sort by state</source>
        <translation>Nach Zustand sortieren</translation>
    </message>
    <message>
        <source>Sort by last change</source>
        <translation>Nach letzter Änderung sortieren</translation>
    </message>
    <message>
        <source>New app</source>
        <translation>Neue App</translation>
    </message>
    <message>
        <source>on %1</source>
        <translation>auf %1</translation>
    </message>
    <message>
        <source>No app matches “%1”.</source>
        <translation>Keine App passt zu „%1“.</translation>
    </message>
    <message>
        <source>No apps yet. Create one from a git repository.</source>
        <translation>Noch keine Apps. Erstellen Sie eine aus einem Git-Repository.</translation>
    </message>
</context>
<context>
    <name>ConnectPage</name>
    <message>
        <source>Connect to a master</source>
        <translation>Mit einem Master verbinden</translation>
    </message>
    <message>
        <source>Master URL</source>
        <translation>Master-URL</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-Mail-Adresse</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Register and sign in</source>
        <translation>Registrieren und anmelden</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>I have an account</source>
        <translation>Ich habe schon ein Konto</translation>
    </message>
    <message>
        <source>Create an account</source>
        <translation>Konto erstellen</translation>
    </message>
    <message>
        <source>No keychain service answered: your token will be kept in %1, readable by you only.</source>
        <translation>Kein Schlüsselbund-Dienst hat geantwortet: Ihr Token wird in %1 gespeichert, nur für Sie lesbar.</translation>
    </message>
</context>
<context>
    <name>ConnectionBanner</name>
    <message numerus="yes">
        <source>Connection to %1 lost. Retrying in %n s…</source>
        <translation>
            <numerusform>Verbindung zu %1 verloren. Neuer Versuch in %n Sekunde…</numerusform>
            <numerusform>Verbindung zu %1 verloren. Neuer Versuch in %n Sekunden…</numerusform>
        </translation>
    </message>
    <message>
        <source>Connection to %1 lost. Reconnecting…</source>
        <translation>Verbindung zu %1 verloren. Verbinde neu…</translation>
    </message>
</context>
<context>
    <name>CreateAppPage</name>
    <message>
        <source>New app</source>
        <translation>Neue App</translation>
    </message>
    <message>
        <source>Gasper clones the repository, runs the build commands and starts the run command. The app must listen on $PORT.</source>
        <translation>Gasper klont das Repository, führt die Build-Befehle aus und startet dann den Startbefehl. Die App muss auf $PORT lauschen.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Lower-case letters, digits and &apos;-&apos;; it becomes the host name.</source>
        <translation>Kleinbuchstaben, Ziffern und „-“; daraus wird der Hostname.</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Git repository URL</source>
        <translation>URL des Git-Repositorys</translation>
    </message>
    <message>
        <source>Branch</source>
        <translation>Branch</translation>
    </message>
    <message>
        <source>Empty: the repository&apos;s default branch.</source>
        <translation>Leer: der Standard-Branch des Repositorys.</translation>
    </message>
    <message>
        <source>Port inside the container</source>
        <translation>Port im Container</translation>
    </message>
    <message>
        <source>Build commands</source>
        <translation>Build-Befehle</translation>
    </message>
    <message>
        <source>One command a line, run in order in /app.</source>
        <translation>Ein Befehl pro Zeile, der Reihe nach in /app ausgeführt.</translation>
    </message>
    <message>
        <source>Run command</source>
        <translation>Startbefehl</translation>
    </message>
    <message>
        <source>Memory (MiB)</source>
        <translation>Arbeitsspeicher (MiB)</translation>
    </message>
    <message>
        <source>CPUs</source>
        <translation>CPUs</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>Umgebungsvariablen</translation>
    </message>
    <message>
        <source>KEY=value, one a line.</source>
        <translation>SCHLÜSSEL=Wert, einer pro Zeile.</translation>
    </message>
    <message>
        <source>Create and deploy</source>
        <translation>Erstellen und bereitstellen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Empty: the web: line of the repository&apos;s Procfile (its release: line runs after the build).</source>
        <translation>Leer: die web:-Zeile der Procfile des Repositorys (ihre release:-Zeile läuft nach dem Build).</translation>
    </message>
    <message>
        <source>Health check path</source>
        <translation>Pfad des Health-Checks</translation>
    </message>
    <message>
        <source>A new container gets traffic once it answers this path. Empty: any answer on /.</source>
        <translation>Ein neuer Container bekommt Anfragen, sobald er auf diesen Pfad antwortet. Leer: jede Antwort auf /.</translation>
    </message>
    <message>
        <source>Expected status</source>
        <translation>Erwarteter Status</translation>
    </message>
    <message>
        <source>Empty: any 2xx or 3xx.</source>
        <translation>Leer: jeder 2xx- oder 3xx-Status.</translation>
    </message>
    <message>
        <source>Health timeout (s)</source>
        <translation>Zeitlimit des Health-Checks (s)</translation>
    </message>
</context>
<context>
    <name>DeployHistory</name>
    <message>
        <source>rollback to #%1</source>
        <translation>Rollback auf #%1</translation>
    </message>
    <message>
        <source>Roll back to this deploy</source>
        <translation>Auf dieses Deployment zurückrollen</translation>
    </message>
    <message>
        <source>Roll back to deploy #%1?</source>
        <translation>Auf Deployment #%1 zurückrollen?</translation>
    </message>
    <message>
        <source>Commit %1 is deployed again with the app&apos;s current settings. The current container serves until the new one is healthy; the app stays on that commit until its next rebuild.</source>
        <translation>Commit %1 wird mit den aktuellen Einstellungen der App erneut deployt. Der jetzige Container bedient, bis der neue gesund ist; die App bleibt bis zum nächsten Neubau auf diesem Commit.</translation>
    </message>
    <message>
        <source>Hide output</source>
        <translation>Ausgabe ausblenden</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>Output of deploy #%1</source>
        <translation>Ausgabe von Deploy #%1</translation>
    </message>
</context>
<context>
    <name>DeployView</name>
    <message>
        <source>Deploy #%1</source>
        <translation>Deployment #%1</translation>
    </message>
    <message>
        <source>No deploy yet</source>
        <translation>Noch kein Deployment</translation>
    </message>
    <message>
        <source>total %1</source>
        <translation>insgesamt %1</translation>
    </message>
</context>
<context>
    <name>EnvEditor</name>
    <message>
        <source>Saving rebuilds the app; the running version serves until the new one is healthy.</source>
        <translation>Speichern baut die App neu; die laufende Version antwortet weiter, bis die neue gesund ist.</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>NAME</translation>
    </message>
    <message>
        <source>value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>No variables.</source>
        <translation>Keine Variablen.</translation>
    </message>
    <message>
        <source>Add variable</source>
        <translation>Variable hinzufügen</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Zurücksetzen</translation>
    </message>
    <message>
        <source>Save and rebuild</source>
        <translation>Speichern und neu bauen</translation>
    </message>
    <message>
        <source>(secret: unchanged)</source>
        <translation>(geheim: unverändert)</translation>
    </message>
    <message>
        <source>Secret</source>
        <translation>Geheim</translation>
    </message>
    <message>
        <source>Write-only: never shown again, masked in deploy output.</source>
        <translation>Nur schreibbar: wird nie wieder angezeigt und in der Deploy-Ausgabe maskiert.</translation>
    </message>
</context>
<context>
    <name>HealthSettings</name>
    <message>
        <source>Health check</source>
        <translation>Health-Check</translation>
    </message>
    <message>
        <source>A new container gets traffic once it answers this check; until then the current one serves.</source>
        <translation>Ein neuer Container bekommt Anfragen, sobald er diesen Check besteht; bis dahin bedient der jetzige.</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <source>Empty: any answer on /.</source>
        <translation>Leer: jede Antwort auf /.</translation>
    </message>
    <message>
        <source>Expected status</source>
        <translation>Erwarteter Status</translation>
    </message>
    <message>
        <source>Empty: any 2xx or 3xx.</source>
        <translation>Leer: jeder 2xx- oder 3xx-Status.</translation>
    </message>
    <message>
        <source>Timeout (s)</source>
        <translation>Zeitlimit (s)</translation>
    </message>
    <message>
        <source>Save and redeploy</source>
        <translation>Speichern und neu deployen</translation>
    </message>
</context>
<context>
    <name>HooksView</name>
    <message>
        <source>deployed</source>
        <translation>bereitgestellt</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>wartet</translation>
    </message>
    <message>
        <source>ping</source>
        <translation>Ping</translation>
    </message>
    <message>
        <source>ignored</source>
        <translation>ignoriert</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>Push to deploy</source>
        <translation>Push zum Deployen</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Aktualisieren</translation>
    </message>
    <message>
        <source>A push to the app&apos;s branch (%1) rebuilds it. Add this webhook to the repository.</source>
        <translation>Ein Push auf den Branch der App (%1) baut sie neu. Fügen Sie diesen Webhook dem Repository hinzu.</translation>
    </message>
    <message>
        <source>the default branch</source>
        <translation>Standard-Branch</translation>
    </message>
    <message>
        <source>Webhook URL</source>
        <translation>Webhook-URL</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Secret</source>
        <translation>Geheimnis</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>Verbergen</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Zeigen</translation>
    </message>
    <message>
        <source>New secret…</source>
        <translation>Neues Geheimnis…</translation>
    </message>
    <message>
        <source>GitHub, Gitea and Forgejo sign each delivery with it; GitLab sends it as its secret token.</source>
        <translation>GitHub, Gitea und Forgejo signieren damit jede Zustellung; GitLab sendet es als Secret Token.</translation>
    </message>
    <message>
        <source>GitHub</source>
        <translation>GitHub</translation>
    </message>
    <message>
        <source>Settings → Webhooks → Add webhook: Payload URL, content type application/json, Secret, “Just the push event”.</source>
        <translation>Settings → Webhooks → Add webhook: Payload URL, Content type application/json, Secret, „Just the push event“.</translation>
    </message>
    <message>
        <source>GitLab</source>
        <translation>GitLab</translation>
    </message>
    <message>
        <source>Settings → Webhooks → Add new webhook: URL, the secret as “Secret token”, trigger “Push events”.</source>
        <translation>Settings → Webhooks → Add new webhook: URL, das Geheimnis als „Secret token“, Trigger „Push events“.</translation>
    </message>
    <message>
        <source>Gitea / Forgejo</source>
        <translation>Gitea / Forgejo</translation>
    </message>
    <message>
        <source>Settings → Webhooks → Add webhook: Target URL, POST, application/json, Secret, “Push events”.</source>
        <translation>Settings → Webhooks → Add webhook: Target URL, POST, application/json, Secret, „Push events“.</translation>
    </message>
    <message>
        <source>Polling</source>
        <translation>Abfragen</translation>
    </message>
    <message>
        <source>Without a webhook, Gasper can ask the repository for the branch head and rebuild when it moves.</source>
        <translation>Ohne Webhook kann Gasper das Repository nach dem Stand des Branches fragen und neu bauen, wenn er sich bewegt.</translation>
    </message>
    <message>
        <source>Poll the branch every</source>
        <translation>Branch abfragen alle</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>Sekunden</translation>
    </message>
    <message>
        <source>Save polling</source>
        <translation>Abfragen speichern</translation>
    </message>
    <message>
        <source>Polling every %1 s.</source>
        <translation>Abfrage alle %1 s.</translation>
    </message>
    <message>
        <source>Polling is off.</source>
        <translation>Abfragen ist aus.</translation>
    </message>
    <message>
        <source>Recent deliveries</source>
        <translation>Letzte Zustellungen</translation>
    </message>
    <message>
        <source>No deliveries yet. GitHub and Gitea send a ping when the webhook is added.</source>
        <translation>Noch keine Zustellungen. GitHub und Gitea senden beim Hinzufügen des Webhooks einen Ping.</translation>
    </message>
    <message>
        <source>Make a new webhook secret?</source>
        <translation>Neues Webhook-Geheimnis erstellen?</translation>
    </message>
    <message>
        <source>Deliveries signed with the current secret are refused from now on: paste the new one into the repository&apos;s webhook settings.</source>
        <translation>Mit dem bisherigen Geheimnis signierte Zustellungen werden ab jetzt abgelehnt: Tragen Sie das neue in den Webhook-Einstellungen des Repositorys ein.</translation>
    </message>
</context>
<context>
    <name>LogsView</name>
    <message>
        <source>Streaming</source>
        <translation>Live-Übertragung</translation>
    </message>
    <message>
        <source>Not streaming</source>
        <translation>Keine Übertragung</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Follow</source>
        <translation>Folgen</translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation>Neu verbinden</translation>
    </message>
    <message>
        <source>Search (on the server)</source>
        <translation>Suchen (auf dem Server)</translation>
    </message>
    <message>
        <source>Search the logs</source>
        <translation>Logs durchsuchen</translation>
    </message>
    <message>
        <source>Regex</source>
        <translation>Regex</translation>
    </message>
    <message>
        <source>Timestamps</source>
        <translation>Zeitstempel</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Seit</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Beliebig</translation>
    </message>
    <message>
        <source>Last 10 minutes</source>
        <translation>Letzte 10 Minuten</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>Letzter Tag</translation>
    </message>
    <message>
        <source>Deploy</source>
        <translation>Deploy</translation>
    </message>
    <message>
        <source>Live container</source>
        <translation>Laufender Container</translation>
    </message>
    <message>
        <source>Deploy #%1</source>
        <translation>Deploy #%1</translation>
    </message>
    <message>
        <source>Download…</source>
        <translation>Herunterladen…</translation>
    </message>
    <message>
        <source>Save the log</source>
        <translation>Log speichern</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>%1 konnte nicht gespeichert werden: %2</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Gasper console — %1</source>
        <translation>Gasper-Konsole — %1</translation>
    </message>
    <message>
        <source>Gasper console</source>
        <translation>Gasper-Konsole</translation>
    </message>
    <message>
        <source>Switch master</source>
        <translation>Master wechseln</translation>
    </message>
    <message>
        <source>live</source>
        <translation>live</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>Token in file (no keychain)</source>
        <translation>Token in Datei (kein Schlüsselbund)</translation>
    </message>
    <message>
        <source>No keychain service answered (%1). The token is kept in %2 (readable by you only).</source>
        <translation>Kein Schlüsselbund-Dienst hat geantwortet (%1). Das Token liegt in %2 (nur für Sie lesbar).</translation>
    </message>
    <message>
        <source>%1 (admin)</source>
        <translation>%1 (Admin)</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <source>Apps</source>
        <translation>Apps</translation>
    </message>
    <message>
        <source>New app</source>
        <translation>Neue App</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
</context>
<context>
    <name>MetricsView</name>
    <message>
        <source>Memory</source>
        <translation>Arbeitsspeicher</translation>
    </message>
    <message>
        <source>MiB</source>
        <translation>MiB</translation>
    </message>
    <message>
        <source>Network in</source>
        <translation>Netzwerk eingehend</translation>
    </message>
    <message>
        <source>KiB/s</source>
        <translation>KiB/s</translation>
    </message>
    <message>
        <source>Network out</source>
        <translation>Netzwerk ausgehend</translation>
    </message>
    <message>
        <source>Restarts</source>
        <translation>Neustarts</translation>
    </message>
    <message>
        <source>CPU (of the limit)</source>
        <translation>CPU (vom Limit)</translation>
    </message>
    <message>
        <source>Disk read</source>
        <translation>Datenträger lesen</translation>
    </message>
    <message>
        <source>Disk write</source>
        <translation>Datenträger schreiben</translation>
    </message>
    <message>
        <source>One point per %1 s, sampled every %2 s</source>
        <translation>Ein Punkt je %1 s, gemessen alle %2 s</translation>
    </message>
    <message>
        <source>1 h</source>
        <translation>1 h</translation>
    </message>
    <message>
        <source>24 h</source>
        <translation>24 h</translation>
    </message>
    <message>
        <source>30 d</source>
        <translation>30 T</translation>
    </message>
    <message>
        <source>Show the last %1</source>
        <translation>Die letzten %1 zeigen</translation>
    </message>
    <message>
        <source>No samples in this range yet: the app is sampled every %1 s while it runs.</source>
        <translation>Noch keine Messwerte in diesem Zeitraum: Die App wird im Betrieb alle %1 s gemessen.</translation>
    </message>
</context>
<context>
    <name>NodesPage</name>
    <message>
        <source>Nodes</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>bereit</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>nicht erreichbar</translation>
    </message>
    <message>
        <source>Load (1 min)</source>
        <translation>Last (1 Min.)</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Arbeitsspeicher</translation>
    </message>
    <message>
        <source>%1 GiB</source>
        <translation>%1 GiB</translation>
    </message>
    <message>
        <source>Apps</source>
        <translation>Apps</translation>
    </message>
    <message>
        <source>%1 (%2 containers running)</source>
        <translation>%1 (%2 Container laufen)</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Dienste</translation>
    </message>
    <message>
        <source>Last heartbeat: %1</source>
        <translation>Letzter Heartbeat: %1</translation>
    </message>
    <message>
        <source>No nodes.</source>
        <translation>Keine Knoten.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Dem System folgen</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>Token storage</source>
        <translation>Token-Speicher</translation>
    </message>
    <message>
        <source>No keychain service answered (%1). Tokens are kept in %2 with permissions 0600.</source>
        <translation>Kein Schlüsselbund-Dienst hat geantwortet (%1). Tokens liegen in %2 mit den Rechten 0600.</translation>
    </message>
    <message>
        <source>Tokens are kept in the system keychain.</source>
        <translation>Tokens liegen im Schlüsselbund des Systems.</translation>
    </message>
    <message>
        <source>Remembered masters</source>
        <translation>Gespeicherte Master</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <source>Forget</source>
        <translation>Vergessen</translation>
    </message>
</context>
<context>
    <name>TerminalPage</name>
    <message>
        <source>Terminal — %1</source>
        <translation>Terminal — %1</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>verbinde…</translation>
    </message>
    <message>
        <source>exited with code %1</source>
        <translation>mit Code %1 beendet</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>geschlossen</translation>
    </message>
    <message>
        <source>%1 × %2</source>
        <translation>%1 × %2</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Einfügen</translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation>Neu verbinden</translation>
    </message>
</context>
<context>
    <name>Theme</name>
    <message>
        <source>queued</source>
        <translation>in Warteschlange</translation>
    </message>
    <message>
        <source>cloning</source>
        <translation>klont</translation>
    </message>
    <message>
        <source>building</source>
        <translation>baut</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>startet</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>restarting</source>
        <translation>startet neu</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <source>succeeded</source>
        <translation>erfolgreich</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>übersprungen</translation>
    </message>
    <message>
        <source>Clone</source>
        <translation>Klonen</translation>
    </message>
    <message>
        <source>Create container</source>
        <translation>Container anlegen</translation>
    </message>
    <message>
        <source>Start container</source>
        <translation>Container starten</translation>
    </message>
    <message>
        <source>Build</source>
        <translation>Build</translation>
    </message>
    <message>
        <source>Health check</source>
        <translation>Health-Check</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Release</source>
        <translation>Release</translation>
    </message>
    <message>
        <source>any answer on /</source>
        <translation>jede Antwort auf /</translation>
    </message>
    <message>
        <source> within %1 s</source>
        <translation> innerhalb von %1 s</translation>
    </message>
    <message>
        <source>GET %1 → %2</source>
        <translation>GET %1 → %2</translation>
    </message>
</context>
<context>
    <name>gasper::console::Session</name>
    <message>
        <source>Delete failed</source>
        <translation>Löschen fehlgeschlagen</translation>
    </message>
    <message>
        <source>Deploy failed</source>
        <translation>Deployment fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1: deploy #%2 failed</source>
        <translation>%1: Deployment #%2 ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>App recovered</source>
        <translation>App wiederhergestellt</translation>
    </message>
    <message>
        <source>%1 is running again</source>
        <translation>%1 läuft wieder</translation>
    </message>
</context>
</TS>
