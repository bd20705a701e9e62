// SPDX-License-Identifier: MIT
#include "Output.h"

#include "TableFormatter.h"

#include <QLocale>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace gasper::ctl {

namespace {

QString text(const QJsonValue &v)
{
    if (v.isString())
        return TableFormatter::printable(v.toString());
    if (v.isDouble()) {
        const double d = v.toDouble();
        return d == qint64(d) ? QString::number(qint64(d)) : QString::number(d);
    }
    if (v.isBool())
        return v.toBool() ? u"yes"_s : u"no"_s;
    return {};
}

QDateTime parseIso(const QString &iso)
{
    QDateTime t = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(iso, Qt::ISODate);
    return t;
}

} // namespace

QString formatDuration(qint64 ms)
{
    if (ms < 0)
        return u"-"_s;
    if (ms < 1000)
        return QString::number(ms) + u"ms"_s;
    if (ms < 60000)
        return QString::number(double(ms) / 1000.0, 'f', 2) + u's';
    const qint64 seconds = ms / 1000;
    return u"%1m%2s"_s.arg(seconds / 60).arg(seconds % 60, 2, 10, QChar(u'0'));
}

QString formatAge(const QDateTime &then, const QDateTime &now)
{
    if (!then.isValid() || !now.isValid())
        return u"-"_s;
    const qint64 s = std::max<qint64>(0, then.secsTo(now));
    if (s < 60)
        return QString::number(s) + u"s ago"_s;
    if (s < 3600)
        return QString::number(s / 60) + u"m ago"_s;
    if (s < 86400)
        return QString::number(s / 3600) + u"h ago"_s;
    return QString::number(s / 86400) + u"d ago"_s;
}

QString formatTime(const QString &iso)
{
    const QDateTime t = parseIso(iso);
    if (!t.isValid())
        return TableFormatter::printable(iso);
    return t.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s);
}

QString formatAppsTable(const QJsonArray &apps, const QDateTime &now)
{
    TableFormatter table({u"NAME"_s, u"STATE"_s, u"LANGUAGE"_s, u"URL"_s, u"UPDATED"_s});
    for (const QJsonValue &v : apps) {
        const QJsonObject app = v.toObject();
        table.addRow({text(app[u"name"]), text(app[u"state"]), text(app[u"language"]), text(app[u"url"]),
                      formatAge(parseIso(app[u"updated_at"].toString()), now)});
    }
    return table.toString();
}

QString formatHealth(const QJsonObject &health)
{
    const QString path = health[u"path"].toString().isEmpty() ? u"/"_s : text(health[u"path"]);
    const bool custom = path != u"/" || health[u"status"].isDouble();
    QString out = custom ? u"GET %1 -> %2"_s.arg(path, health[u"status"].isDouble() ? text(health[u"status"]) : u"200-399"_s)
                         : u"any answer on /"_s;
    if (health[u"timeout"].isDouble())
        out += u" within %1 s"_s.arg(text(health[u"timeout"]));
    return out;
}

QString formatApp(const QJsonObject &app)
{
    QList<std::pair<QString, QStringList>> rows;
    auto add = [&rows](const QString &key, const QStringList &values) { rows.append({key, values}); };
    auto one = [&](const QString &key, const QJsonValue &v) { add(key, {text(v)}); };

    one(u"name"_s, app[u"name"]);
    one(u"state"_s, app[u"state"]);
    one(u"language"_s, app[u"language"]);
    one(u"url"_s, app[u"url"]);
    one(u"node"_s, app[u"node"]);
    one(u"port"_s, app[u"port"]);
    const QJsonObject git = app[u"git"].toObject();
    add(u"git"_s, {text(git[u"url"]) + (git[u"token_set"].toBool() ? u" (token set)"_s : QString())});
    add(u"branch"_s, {git[u"branch"].toString().isEmpty() ? u"(default)"_s : text(git[u"branch"])});
    if (!git[u"commit"].toString().isEmpty())
        add(u"pinned"_s, {u"commit %1 (a rollback; the next rebuild deploys the branch again)"_s.arg(text(git[u"commit"]).left(12))});
    QStringList build;
    for (const QJsonValue &cmd : app[u"build"].toArray())
        build << text(cmd);
    add(u"build"_s, build);
    add(u"run"_s, {app[u"run"].toString().isEmpty() ? u"(the Procfile's web: line)"_s : text(app[u"run"])});
    if (app.contains(u"health"))
        add(u"health"_s, {formatHealth(app[u"health"].toObject())});
    QStringList env;
    const QJsonObject envObject = app[u"env"].toObject();
    for (auto it = envObject.begin(); it != envObject.end(); ++it)
        env << TableFormatter::printable(it.key()) + u'='
                   + (it.value().isObject() ? u"(secret)"_s : text(it.value()));  // secrets are write-only
    add(u"env"_s, env);
    const QJsonObject res = app[u"resources"].toObject();
    QStringList resources;
    if (res.contains(u"memory_mb"))
        resources << text(res[u"memory_mb"]) + u" MB"_s;
    if (res.contains(u"cpus"))
        resources << text(res[u"cpus"]) + (res[u"cpus"].toDouble() == 1.0 ? u" cpu"_s : u" cpus"_s);
    add(u"resources"_s, {resources.join(u", "_s)});
    one(u"owner"_s, app[u"owner"]);
    one(u"restarts"_s, app[u"restarts"]);
    add(u"created"_s, {app[u"created_at"].toString().isEmpty() ? QString() : formatTime(app[u"created_at"].toString())});
    add(u"updated"_s, {app[u"updated_at"].toString().isEmpty() ? QString() : formatTime(app[u"updated_at"].toString())});
    if (!app[u"last_error"].toString().isEmpty())
        one(u"last error"_s, app[u"last_error"]);

    qsizetype width = 0;
    for (const auto &row : rows)
        width = std::max(width, row.first.size() + 1);
    QString out;
    for (const auto &[key, values] : rows) {
        const QString label = QString(key + u':').leftJustified(width + 1);
        if (values.isEmpty() || (values.size() == 1 && values.constFirst().isEmpty())) {
            out += label + u"-\n"_s;
            continue;
        }
        for (qsizetype i = 0; i < values.size(); ++i)
            out += (i == 0 ? label : QString(width + 1, u' ')) + values[i] + u'\n';
    }
    return out;
}

QString formatDeploysTable(const QJsonArray &deploys)
{
    TableFormatter table({u"#"_s, u"STATUS"_s, u"TRIGGER"_s, u"COMMIT"_s, u"STARTED"_s, u"TOTAL"_s, u"STEPS"_s});
    QString errors;
    for (const QJsonValue &v : deploys) {
        const QJsonObject d = v.toObject();
        QStringList steps;
        for (const QJsonValue &s : d[u"steps"].toArray()) {
            const QJsonObject step = s.toObject();
            QString item = text(step[u"name"]) + u' ';
            const QString status = step[u"status"].toString();
            if (status == u"skipped" || status == u"running")
                item += status;
            else
                item += formatDuration(qint64(step[u"ms"].toDouble()));
            if (status == u"failed")
                item += u" (failed)"_s;
            steps << item;
        }
        // A deploy still running has total_ms 0: no total yet.
        const QJsonValue total = d[u"total_ms"];
        const bool finished = d[u"status"].toString() != u"running";
        const QString trigger = d[u"rollback_to"].isDouble() ? u"%1 to #%2"_s.arg(text(d[u"trigger"]), text(d[u"rollback_to"]))
                                                             : text(d[u"trigger"]);
        table.addRow({text(d[u"number"]), text(d[u"status"]), trigger, text(d[u"commit"]).left(7),
                      d[u"started_at"].toString().isEmpty() ? QString() : formatTime(d[u"started_at"].toString()),
                      finished && total.isDouble() ? formatDuration(qint64(total.toDouble())) : QString(),
                      steps.join(u", "_s)});
        // Why a deploy failed does not fit a column: one line per failure under the table.
        if (!d[u"error"].toString().isEmpty())
            errors += u"#%1 %2: %3\n"_s.arg(text(d[u"number"]), text(d[u"status"]), text(d[u"error"]).simplified());
    }
    return table.toString() + (errors.isEmpty() ? QString() : u'\n' + errors);
}

QString formatUser(const QJsonObject &user)
{
    QString out = text(user[u"username"]);
    if (!user[u"email"].toString().isEmpty())
        out += u" <"_s + text(user[u"email"]) + u'>';
    if (user[u"admin"].toBool())
        out += u" (admin)"_s;
    return out;
}

QString formatHook(const QJsonObject &hook, bool showSecret)
{
    const QString app = text(hook[u"app"]);
    const int poll = hook[u"poll_seconds"].toInt();
    const QString branch = hook[u"branch"].toString();
    QString out;
    out += u"URL        %1\n"_s.arg(TableFormatter::printable(hook[u"url"].toString()));
    out += showSecret ? u"Secret     %1\n"_s.arg(TableFormatter::printable(hook[u"secret"].toString()))
                      : u"Secret     (hidden: gasperctl hooks %1 --show-secret)\n"_s.arg(app);
    out += u"Branch     %1\n"_s.arg(branch.isEmpty() ? u"(the repository's default branch)"_s : TableFormatter::printable(branch));
    out += u"Polling    %1\n"_s.arg(poll > 0 ? u"every %1 s"_s.arg(poll) : u"off"_s);
    out += u"\nGitHub, Gitea, Forgejo: Settings > Webhooks > add: payload URL above, content type application/json,\n"
           "  the secret, \"just the push event\". GitLab: Settings > Webhooks: URL above, the secret as\n"
           "  \"Secret token\", trigger \"Push events\".\n"_s;
    const QJsonArray deliveries = hook[u"deliveries"].toArray();
    if (deliveries.isEmpty())
        return out + u"\nno deliveries yet\n"_s;
    TableFormatter table({u"TIME"_s, u"SOURCE"_s, u"EVENT"_s, u"BRANCH"_s, u"COMMIT"_s, u"OUTCOME"_s, u"DETAIL"_s});
    for (const QJsonValue &v : deliveries) {
        const QJsonObject d = v.toObject();
        QString outcome = text(d[u"outcome"]);
        if (d[u"deploy"].toInt() > 0)
            outcome += u" #"_s + QString::number(d[u"deploy"].toInt());
        table.addRow({formatTime(d[u"at"].toString()), text(d[u"source"]), text(d[u"event"]), text(d[u"branch"]),
                      text(d[u"commit"]).left(7), outcome, text(d[u"detail"])});
    }
    return out + u"\nRecent deliveries (newest first):\n"_s + table.toString();
}

} // namespace gasper::ctl
