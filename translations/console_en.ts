<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>AppPage</name>
    <message>
        <source>Back to apps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rebuild</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restart</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Terminal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deploy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Git repository URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Build commands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port inside the container</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory (MiB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPUs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restarts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its container, sources, route and deploy history are removed. This cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Push to deploy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(the Procfile&apos;s web: line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pinned to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>commit %1 (a rollback, until the next rebuild)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(the branch&apos;s head)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shell (SSH)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(the SSH service is off)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files (SFTP, scp -P)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AppsPage</name>
    <message>
        <source>Apps</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n app(s)</source>
        <translation>
            <numerusform>%n app</numerusform>
            <numerusform>%n apps</numerusform>
        </translation>
    </message>
    <message>
        <source>Filter by name, language, state…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sort by name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sort by state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sort by last change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No app matches “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No apps yet. Create one from a git repository.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectPage</name>
    <message>
        <source>Connect to a master</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Master URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Register and sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I have an account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create an account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keychain service answered: your token will be kept in %1, readable by you only.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectionBanner</name>
    <message numerus="yes">
        <source>Connection to %1 lost. Retrying in %n s…</source>
        <translation>
            <numerusform>Connection to %1 lost. Retrying in %n second…</numerusform>
            <numerusform>Connection to %1 lost. Retrying in %n seconds…</numerusform>
        </translation>
    </message>
    <message>
        <source>Connection to %1 lost. Reconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CreateAppPage</name>
    <message>
        <source>New app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gasper clones the repository, runs the build commands and starts the run command. The app must listen on $PORT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lower-case letters, digits and &apos;-&apos;; it becomes the host name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Git repository URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty: the repository&apos;s default branch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port inside the container</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Build commands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One command a line, run in order in /app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory (MiB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPUs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Environment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KEY=value, one a line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create and deploy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty: the web: line of the repository&apos;s Procfile (its release: line runs after the build).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health check path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new container gets traffic once it answers this path. Empty: any answer on /.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty: any 2xx or 3xx.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health timeout (s)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeployHistory</name>
    <message>
        <source>rollback to #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roll back to this deploy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roll back to deploy #%1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Commit %1 is deployed again with the app&apos;s current settings. The current container serves until the new one is healthy; the app stays on that commit until its next rebuild.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output of deploy #%1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeployView</name>
    <message>
        <source>Deploy #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No deploy yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>total %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EnvEditor</name>
    <message>
        <source>Saving rebuilds the app; the running version serves until the new one is healthy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NAME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No variables.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add variable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Revert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save and rebuild</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(secret: unchanged)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write-only: never shown again, masked in deploy output.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HealthSettings</name>
    <message>
        <source>Health check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new container gets traffic once it answers this check; until then the current one serves.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty: any answer on /.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expected status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty: any 2xx or 3xx.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeout (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save and redeploy</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HooksView</name>
    <message>
        <source>deployed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ignored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Push to deploy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A push to the app&apos;s branch (%1) rebuilds it. Add this webhook to the repository.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the default branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Webhook URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New secret…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub, Gitea and Forgejo sign each delivery with it; GitLab sends it as its secret token.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitHub</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings → Webhooks → Add webhook: Payload URL, content type application/json, Secret, “Just the push event”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GitLab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings → Webhooks → Add new webhook: URL, the secret as “Secret token”, trigger “Push events”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gitea / Forgejo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings → Webhooks → Add webhook: Target URL, POST, application/json, Secret, “Push events”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Polling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Without a webhook, Gasper can ask the repository for the branch head and rebuild when it moves.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Poll the branch every</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save polling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Polling every %1 s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Polling is off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent deliveries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No deliveries yet. GitHub and Gitea send a ping when the webhook is added.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make a new webhook secret?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deliveries signed with the current secret are refused from now on: paste the new one into the repository&apos;s webhook settings.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LogsView</name>
    <message>
        <source>Streaming</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not streaming</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search (on the server)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search the logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regex</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timestamps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 10 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deploy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live container</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deploy #%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Gasper console — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gasper console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch master</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token in file (no keychain)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keychain service answered (%1). The token is kept in %2 (readable by you only).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (admin)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MetricsView</name>
    <message>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KiB/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restarts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU (of the limit)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disk write</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One point per %1 s, sampled every %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>24 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>30 d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the last %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No samples in this range yet: the app is sampled every %1 s while it runs.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NodesPage</name>
    <message>
        <source>Nodes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load (1 min)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 GiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 containers running)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last heartbeat: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No nodes.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token storage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keychain service answered (%1). Tokens are kept in %2 with permissions 0600.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens are kept in the system keychain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remembered masters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forget</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TerminalPage</name>
    <message>
        <source>Terminal — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>exited with code %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 × %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paste</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Theme</name>
    <message>
        <source>queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cloning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>building</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>starting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>restarting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>succeeded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create container</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start container</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Build</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Release</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any answer on /</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> within %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GET %1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>gasper::console::Session</name>
    <message>
        <source>Delete failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deploy failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: deploy #%2 failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>App recovered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is running again</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
