<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja">
<context>
    <name>AppPage</name>
    <message>
        <source>Back to apps</source>
        <translation>アプリ一覧へ戻る</translation>
    </message>
    <message>
        <source>Rebuild</source>
        <translation>再ビルド</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>再起動</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>Terminal</source>
        <translation>ターミナル</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>削除…</translation>
    </message>
    <message>
        <source>Deploy</source>
        <translation>デプロイ</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>ログ</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>メトリクス</translation>
    </message>
    <message>
        <source>History</source>
        <translation>履歴</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>環境変数</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <source>Git repository URL</source>
        <translation>Git リポジトリの URL</translation>
    </message>
    <message>
        <source>Branch</source>
        <translation>ブランチ</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>(既定)</translation>
    </message>
    <message>
        <source>Build commands</source>
        <translation>ビルドコマンド</translation>
    </message>
    <message>
        <source>Run command</source>
        <translation>実行コマンド</translation>
    </message>
    <message>
        <source>Port inside the container</source>
        <translation>コンテナ内のポート</translation>
    </message>
    <message>
        <source>Memory (MiB)</source>
        <translation>メモリ (MiB)</translation>
    </message>
    <message>
        <source>CPUs</source>
        <translation>CPU 数</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>ノード</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>所有者</translation>
    </message>
    <message>
        <source>Restarts</source>
        <translation>再起動回数</translation>
    </message>
    <message>
        <source>Delete %1?</source>
        <translation>%1 を削除しますか?</translation>
    </message>
    <message>
        <source>Its container, sources, route and deploy history are removed. This cannot be undone.</source>
        <translation>コンテナ、ソース、ルート、デプロイ履歴が削除されます。元に戻せません。</translation>
    </message>
    <message>
        <source>Push to deploy</source>
        <translation>プッシュでデプロイ</translation>
    </message>
    <message>
        <source>(the Procfile&apos;s web: line)</source>
        <translation>（Procfile の web: 行）</translation>
    </message>
    <message>
        <source>Health check</source>
        <translation>ヘルスチェック</translation>
    </message>
    <message>
        <source>Pinned to</source>
        <translation>固定先</translation>
    </message>
    <message>
        <source>commit %1 (a rollback, until the next rebuild)</source>
        <translation>コミット %1（ロールバック、次の再ビルドまで）</translation>
    </message>
    <message>
        <source>(the branch&apos;s head)</source>
        <translation>（ブランチの最新）</translation>
    </message>
    <message>
        <source>Shell (SSH)</source>
        <translation>シェル (SSH)</translation>
    </message>
    <message>
        <source>(the SSH service is off)</source>
        <translation>(SSH サービスは無効です)</translation>
    </message>
    <message>
        <source>Files (SFTP, scp -P)</source>
        <translation>ファイル (SFTP、scp -P)</translation>
    </message>
</context>
<context>
    <name>AppsPage</name>
    <message>
        <source>Apps</source>
        <translation>アプリ</translation>
    </message>
    <message numerus="yes">
        <source>%n app(s)</source>
        <translation>
            <numerusform>%n 個のアプリ</numerusform>
        </translation>
    </message>
    <message>
        <source>Filter by name, language, state…</source>
        <translation>名前・言語・状態で絞り込み…</translation>
    </message>
    <message>
        <source>Sort by name</source>
        <translation>名前順</translation>
    </message>
    <message>
        <source>Sort by state</source>
        <translation>状態順</translation>
    </message>
    <message>
        <source>Sort by last change</source>
        <translation>最終更新順</translation>
    </message>
    <message>
        <source>New app</source>
        <translation>新しいアプリ</translation>
    </message>
    <message>
        <source>on %1</source>
        <translation>ノード %1</translation>
    </message>
    <message>
        <source>No app matches “%1”.</source>
        <translation>「%1」に一致するアプリはありません。</translation>
    </message>
    <message>
        <source>No apps yet. Create one from a git repository.</source>
        <translation>アプリはまだありません。Git リポジトリから作成してください。</translation>
    </message>
</context>
<context>
    <name>ConnectPage</name>
    <message>
        <source>Connect to a master</source>
        <translation>マスターに接続</translation>
    </message>
    <message>
        <source>Master URL</source>
        <translation>マスターの URL</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>ユーザー名</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>メールアドレス</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <source>Register and sign in</source>
        <translation>登録してサインイン</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>サインイン</translation>
    </message>
    <message>
        <source>I have an account</source>
        <translation>アカウントを持っています</translation>
    </message>
    <message>
        <source>Create an account</source>
        <translation>アカウントを作成</translation>
    </message>
    <message>
        <source>No keychain service answered: your token will be kept in %1, readable by you only.</source>
        <translation>キーチェーンサービスが応答しません。トークンはあなただけが読める %1 に保存されます。</translation>
    </message>
</context>
<context>
    <name>ConnectionBanner</name>
    <message numerus="yes">
        <source>Connection to %1 lost. Retrying in %n s…</source>
        <translation>
            <numerusform>%1 への接続が切れました。%n 秒後に再試行します…</numerusform>
        </translation>
    </message>
    <message>
        <source>Connection to %1 lost. Reconnecting…</source>
        <translation>%1 への接続が切れました。再接続しています…</translation>
    </message>
</context>
<context>
    <name>CreateAppPage</name>
    <message>
        <source>New app</source>
        <translation>新しいアプリ</translation>
    </message>
    <message>
        <source>Gasper clones the repository, runs the build commands and starts the run command. The app must listen on $PORT.</source>
        <translation>Gasper はリポジトリをクローンし、ビルドコマンドを実行してから実行コマンドを起動します。アプリは $PORT で待ち受ける必要があります。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Lower-case letters, digits and &apos;-&apos;; it becomes the host name.</source>
        <translation>英小文字・数字・「-」。ホスト名になります。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <source>Git repository URL</source>
        <translation>Git リポジトリの URL</translation>
    </message>
    <message>
        <source>Branch</source>
        <translation>ブランチ</translation>
    </message>
    <message>
        <source>Empty: the repository&apos;s default branch.</source>
        <translation>空欄: リポジトリの既定のブランチ。</translation>
    </message>
    <message>
        <source>Port inside the container</source>
        <translation>コンテナ内のポート</translation>
    </message>
    <message>
        <source>Build commands</source>
        <translation>ビルドコマンド</translation>
    </message>
    <message>
        <source>One command a line, run in order in /app.</source>
        <translation>1 行に 1 コマンド。/app で順に実行されます。</translation>
    </message>
    <message>
        <source>Run command</source>
        <translation>実行コマンド</translation>
    </message>
    <message>
        <source>Memory (MiB)</source>
        <translation>メモリ (MiB)</translation>
    </message>
    <message>
        <source>CPUs</source>
        <translation>CPU 数</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>環境変数</translation>
    </message>
    <message>
        <source>KEY=value, one a line.</source>
        <translation>KEY=value を 1 行に 1 つ。</translation>
    </message>
    <message>
        <source>Create and deploy</source>
        <translation>作成してデプロイ</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Empty: the web: line of the repository&apos;s Procfile (its release: line runs after the build).</source>
        <translation>空欄: リポジトリの Procfile の web: 行（release: 行はビルドの後に実行）。</translation>
    </message>
    <message>
        <source>Health check path</source>
        <translation>ヘルスチェックのパス</translation>
    </message>
    <message>
        <source>A new container gets traffic once it answers this path. Empty: any answer on /.</source>
        <translation>新しいコンテナーはこのパスに応答してからトラフィックを受けます。空: / へのどの応答でも可。</translation>
    </message>
    <message>
        <source>Expected status</source>
        <translation>期待するステータス</translation>
    </message>
    <message>
        <source>Empty: any 2xx or 3xx.</source>
        <translation>空欄: 2xx か 3xx なら可。</translation>
    </message>
    <message>
        <source>Health timeout (s)</source>
        <translation>ヘルスチェックのタイムアウト（秒）</translation>
    </message>
</context>
<context>
    <name>DeployHistory</name>
    <message>
        <source>rollback to #%1</source>
        <translation>#%1 へのロールバック</translation>
    </message>
    <message>
        <source>Roll back to this deploy</source>
        <translation>このデプロイにロールバック</translation>
    </message>
    <message>
        <source>Roll back to deploy #%1?</source>
        <translation>デプロイ #%1 にロールバックしますか？</translation>
    </message>
    <message>
        <source>Commit %1 is deployed again with the app&apos;s current settings. The current container serves until the new one is healthy; the app stays on that commit until its next rebuild.</source>
        <translation>コミット %1 をアプリの現在の設定で再デプロイします。新しいコンテナーが正常になるまで今のコンテナーが応答し、次の再ビルドまでアプリはそのコミットのままです。</translation>
    </message>
    <message>
        <source>Hide output</source>
        <translation>出力を隠す</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>出力</translation>
    </message>
    <message>
        <source>Output of deploy #%1</source>
        <translation>デプロイ #%1 の出力</translation>
    </message>
</context>
<context>
    <name>DeployView</name>
    <message>
        <source>Deploy #%1</source>
        <translation>デプロイ #%1</translation>
    </message>
    <message>
        <source>No deploy yet</source>
        <translation>まだデプロイはありません</translation>
    </message>
    <message>
        <source>total %1</source>
        <translation>合計 %1</translation>
    </message>
</context>
<context>
    <name>EnvEditor</name>
    <message>
        <source>Saving rebuilds the app; the running version serves until the new one is healthy.</source>
        <translation>保存するとアプリが再ビルドされます。新しいバージョンが正常になるまで、現在のバージョンが応答し続けます。</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>value</source>
        <translation>値</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
    <message>
        <source>No variables.</source>
        <translation>変数はありません。</translation>
    </message>
    <message>
        <source>Add variable</source>
        <translation>変数を追加</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <source>Save and rebuild</source>
        <translation>保存して再ビルド</translation>
    </message>
    <message>
        <source>(secret: unchanged)</source>
        <translation>(シークレット: 変更なし)</translation>
    </message>
    <message>
        <source>Secret</source>
        <translation>シークレット</translation>
    </message>
    <message>
        <source>Write-only: never shown again, masked in deploy output.</source>
        <translation>書き込み専用: 二度と表示されず、デプロイ出力では伏せられます。</translation>
    </message>
</context>
<context>
    <name>HealthSettings</name>
    <message>
        <source>Health check</source>
        <translation>ヘルスチェック</translation>
    </message>
    <message>
        <source>A new container gets traffic once it answers this check; until then the current one serves.</source>
        <translation>新しいコンテナーはこのチェックに通ってからトラフィックを受けます。それまでは今のコンテナーが応答します。</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>パス</translation>
    </message>
    <message>
        <source>Empty: any answer on /.</source>
        <translation>空欄: / へのどの応答でも可。</translation>
    </message>
    <message>
        <source>Expected status</source>
        <translation>期待するステータス</translation>
    </message>
    <message>
        <source>Empty: any 2xx or 3xx.</source>
        <translation>空欄: 2xx か 3xx なら可。</translation>
    </message>
    <message>
        <source>Timeout (s)</source>
        <translation>タイムアウト（秒）</translation>
    </message>
    <message>
        <source>Save and redeploy</source>
        <translation>保存して再デプロイ</translation>
    </message>
</context>
<context>
    <name>HooksView</name>
    <message>
        <source>deployed</source>
        <translation>デプロイ済み</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>待機中</translation>
    </message>
    <message>
        <source>ping</source>
        <translation>ping</translation>
    </message>
    <message>
        <source>ignored</source>
        <translation>無視</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>拒否</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>Push to deploy</source>
        <translation>プッシュでデプロイ</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>再読み込み</translation>
    </message>
    <message>
        <source>A push to the app&apos;s branch (%1) rebuilds it. Add this webhook to the repository.</source>
        <translation>アプリのブランチ (%1) へのプッシュで再ビルドします。この Webhook をリポジトリに追加してください。</translation>
    </message>
    <message>
        <source>the default branch</source>
        <translation>既定のブランチ</translation>
    </message>
    <message>
        <source>Webhook URL</source>
        <translation>Webhook URL</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>コピー</translation>
    </message>
    <message>
        <source>Secret</source>
        <translation>シークレット</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隠す</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>表示</translation>
    </message>
    <message>
        <source>New secret…</source>
        <translation>新しいシークレット…</translation>
    </message>
    <message>
        <source>GitHub, Gitea and Forgejo sign each delivery with it; GitLab sends it as its secret token.</source>
        <translation>GitHub・Gitea・Forgejo は各配信にこれで署名し、GitLab はシークレットトークンとして送ります。</translation>
    </message>
    <message>
        <source>GitHub</source>
        <translation>GitHub</translation>
    </message>
    <message>
        <source>Settings → Webhooks → Add webhook: Payload URL, content type application/json, Secret, “Just the push event”.</source>
        <translation>Settings → Webhooks → Add webhook: Payload URL、Content type は application/json、Secret、「Just the push event」。</translation>
    </message>
    <message>
        <source>GitLab</source>
        <translation>GitLab</translation>
    </message>
    <message>
        <source>Settings → Webhooks → Add new webhook: URL, the secret as “Secret token”, trigger “Push events”.</source>
        <translation>Settings → Webhooks → Add new webhook: URL、シークレットを「Secret token」に、トリガーは「Push events」。</translation>
    </message>
    <message>
        <source>Gitea / Forgejo</source>
        <translation>Gitea / Forgejo</translation>
    </message>
    <message>
        <source>Settings → Webhooks → Add webhook: Target URL, POST, application/json, Secret, “Push events”.</source>
        <translation>Settings → Webhooks → Add webhook: Target URL、POST、application/json、Secret、「Push events」。</translation>
    </message>
    <message>
        <source>Polling</source>
        <translation>ポーリング</translation>
    </message>
    <message>
        <source>Without a webhook, Gasper can ask the repository for the branch head and rebuild when it moves.</source>
        <translation>Webhook がなくても、Gasper がリポジトリにブランチの先頭を問い合わせ、動いたら再ビルドできます。</translation>
    </message>
    <message>
        <source>Poll the branch every</source>
        <translation>ブランチを確認する間隔</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <source>Save polling</source>
        <translation>ポーリングを保存</translation>
    </message>
    <message>
        <source>Polling every %1 s.</source>
        <translation>%1 秒ごとに確認しています。</translation>
    </message>
    <message>
        <source>Polling is off.</source>
        <translation>ポーリングはオフです。</translation>
    </message>
    <message>
        <source>Recent deliveries</source>
        <translation>最近の配信</translation>
    </message>
    <message>
        <source>No deliveries yet. GitHub and Gitea send a ping when the webhook is added.</source>
        <translation>まだ配信はありません。GitHub と Gitea は Webhook の追加時に ping を送ります。</translation>
    </message>
    <message>
        <source>Make a new webhook secret?</source>
        <translation>新しい Webhook シークレットを作りますか?</translation>
    </message>
    <message>
        <source>Deliveries signed with the current secret are refused from now on: paste the new one into the repository&apos;s webhook settings.</source>
        <translation>今のシークレットで署名された配信は以後拒否されます。新しいシークレットをリポジトリの Webhook 設定に貼り付けてください。</translation>
    </message>
</context>
<context>
    <name>LogsView</name>
    <message>
        <source>Streaming</source>
        <translation>ストリーミング中</translation>
    </message>
    <message>
        <source>Not streaming</source>
        <translation>ストリーミングしていません</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>一時停止中</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <source>Follow</source>
        <translation>追従</translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation>再接続</translation>
    </message>
    <message>
        <source>Search (on the server)</source>
        <translation>サーバーで検索</translation>
    </message>
    <message>
        <source>Search the logs</source>
        <translation>ログを検索</translation>
    </message>
    <message>
        <source>Regex</source>
        <translation>正規表現</translation>
    </message>
    <message>
        <source>Timestamps</source>
        <translation>タイムスタンプ</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>期間</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>すべて</translation>
    </message>
    <message>
        <source>Last 10 minutes</source>
        <translation>直近 10 分</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>直近 1 時間</translation>
    </message>
    <message>
        <source>Last day</source>
        <translation>直近 1 日</translation>
    </message>
    <message>
        <source>Deploy</source>
        <translation>デプロイ</translation>
    </message>
    <message>
        <source>Live container</source>
        <translation>稼働中のコンテナ</translation>
    </message>
    <message>
        <source>Deploy #%1</source>
        <translation>デプロイ #%1</translation>
    </message>
    <message>
        <source>Download…</source>
        <translation>ダウンロード…</translation>
    </message>
    <message>
        <source>Save the log</source>
        <translation>ログを保存</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>%1 を保存できませんでした: %2</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 を保存しました</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Gasper console — %1</source>
        <translation>Gasper コンソール — %1</translation>
    </message>
    <message>
        <source>Gasper console</source>
        <translation>Gasper コンソール</translation>
    </message>
    <message>
        <source>Switch master</source>
        <translation>マスターを切り替え</translation>
    </message>
    <message>
        <source>live</source>
        <translation>ライブ</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>オフライン</translation>
    </message>
    <message>
        <source>Token in file (no keychain)</source>
        <translation>トークンはファイルに保存 (キーチェーンなし)</translation>
    </message>
    <message>
        <source>No keychain service answered (%1). The token is kept in %2 (readable by you only).</source>
        <translation>キーチェーンサービスが応答しません (%1)。トークンは %2 に保存されています (あなただけが読めます)。</translation>
    </message>
    <message>
        <source>%1 (admin)</source>
        <translation>%1 (管理者)</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>サインアウト</translation>
    </message>
    <message>
        <source>Apps</source>
        <translation>アプリ</translation>
    </message>
    <message>
        <source>New app</source>
        <translation>新しいアプリ</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>ノード</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
</context>
<context>
    <name>MetricsView</name>
    <message>
        <source>Memory</source>
        <translation>メモリ</translation>
    </message>
    <message>
        <source>MiB</source>
        <translation>MiB</translation>
    </message>
    <message>
        <source>Network in</source>
        <translation>受信</translation>
    </message>
    <message>
        <source>KiB/s</source>
        <translation>KiB/秒</translation>
    </message>
    <message>
        <source>Network out</source>
        <translation>送信</translation>
    </message>
    <message>
        <source>Restarts</source>
        <translation>再起動回数</translation>
    </message>
    <message>
        <source>CPU (of the limit)</source>
        <translation>CPU（上限に対する割合）</translation>
    </message>
    <message>
        <source>Disk read</source>
        <translation>ディスク読み取り</translation>
    </message>
    <message>
        <source>Disk write</source>
        <translation>ディスク書き込み</translation>
    </message>
    <message>
        <source>One point per %1 s, sampled every %2 s</source>
        <translation>%1 秒ごとに 1 点、%2 秒ごとに計測</translation>
    </message>
    <message>
        <source>1 h</source>
        <translation>1 時間</translation>
    </message>
    <message>
        <source>24 h</source>
        <translation>24 時間</translation>
    </message>
    <message>
        <source>30 d</source>
        <translation>30 日</translation>
    </message>
    <message>
        <source>Show the last %1</source>
        <translation>直近 %1 を表示</translation>
    </message>
    <message>
        <source>No samples in this range yet: the app is sampled every %1 s while it runs.</source>
        <translation>この期間の計測値はまだありません。アプリは実行中 %1 秒ごとに計測されます。</translation>
    </message>
</context>
<context>
    <name>NodesPage</name>
    <message>
        <source>Nodes</source>
        <translation>ノード</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>稼働可能</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>到達不能</translation>
    </message>
    <message>
        <source>Load (1 min)</source>
        <translation>負荷 (1 分)</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>メモリ</translation>
    </message>
    <message>
        <source>%1 GiB</source>
        <translation>%1 GiB</translation>
    </message>
    <message>
        <source>Apps</source>
        <translation>アプリ</translation>
    </message>
    <message>
        <source>%1 (%2 containers running)</source>
        <translation>%1 (%2 個のコンテナが稼働中)</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>サービス</translation>
    </message>
    <message>
        <source>Last heartbeat: %1</source>
        <translation>最終ハートビート: %1</translation>
    </message>
    <message>
        <source>No nodes.</source>
        <translation>ノードはありません。</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外観</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>システムに従う</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>ライト</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>ダーク</translation>
    </message>
    <message>
        <source>Token storage</source>
        <translation>トークンの保存先</translation>
    </message>
    <message>
        <source>No keychain service answered (%1). Tokens are kept in %2 with permissions 0600.</source>
        <translation>キーチェーンサービスが応答しません (%1)。トークンは権限 0600 の %2 に保存されます。</translation>
    </message>
    <message>
        <source>Tokens are kept in the system keychain.</source>
        <translation>トークンはシステムのキーチェーンに保存されます。</translation>
    </message>
    <message>
        <source>Remembered masters</source>
        <translation>記憶しているマスター</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>接続</translation>
    </message>
    <message>
        <source>Forget</source>
        <translation>削除</translation>
    </message>
</context>
<context>
    <name>TerminalPage</name>
    <message>
        <source>Terminal — %1</source>
        <translation>ターミナル — %1</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>接続済み</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>接続中…</translation>
    </message>
    <message>
        <source>exited with code %1</source>
        <translation>終了コード %1 で終了しました</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>切断</translation>
    </message>
    <message>
        <source>%1 × %2</source>
        <translation>%1 × %2</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>コピー</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>貼り付け</translation>
    </message>
    <message>
        <source>Reconnect</source>
        <translation>再接続</translation>
    </message>
</context>
<context>
    <name>Theme</name>
    <message>
        <source>queued</source>
        <translation>待機中</translation>
    </message>
    <message>
        <source>cloning</source>
        <translation>クローン中</translation>
    </message>
    <message>
        <source>building</source>
        <translation>ビルド中</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>起動中</translation>
    </message>
    <message>
        <source>running</source>
        <translation>実行中</translation>
    </message>
    <message>
        <source>restarting</source>
        <translation>再起動中</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>succeeded</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>取り消し</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>スキップ</translation>
    </message>
    <message>
        <source>Clone</source>
        <translation>クローン</translation>
    </message>
    <message>
        <source>Create container</source>
        <translation>コンテナ作成</translation>
    </message>
    <message>
        <source>Start container</source>
        <translation>コンテナ起動</translation>
    </message>
    <message>
        <source>Build</source>
        <translation>ビルド</translation>
    </message>
    <message>
        <source>Health check</source>
        <translation>ヘルスチェック</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ミリ秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Release</source>
        <translation>リリース</translation>
    </message>
    <message>
        <source>any answer on /</source>
        <translation>/ へのどの応答でも</translation>
    </message>
    <message>
        <source> within %1 s</source>
        <translation>（%1 秒以内）</translation>
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
        <translation>削除に失敗しました</translation>
    </message>
    <message>
        <source>Deploy failed</source>
        <translation>デプロイに失敗しました</translation>
    </message>
    <message>
        <source>%1: deploy #%2 failed</source>
        <translation>%1: デプロイ #%2 が失敗しました</translation>
    </message>
    <message>
        <source>App recovered</source>
        <translation>アプリが復旧しました</translation>
    </message>
    <message>
        <source>%1 is running again</source>
        <translation>%1 は再び実行中です</translation>
    </message>
</context>
</TS>
