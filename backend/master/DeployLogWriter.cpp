// SPDX-License-Identifier: MIT
#include "master/DeployLogWriter.h"

#include "core/Log.h"

using namespace Qt::StringLiterals;

namespace gasper::master {

DeployLogWriter::DeployLogWriter(const LogSettings &settings, store::AsyncStore *store, QObject *parent)
    : QObject(parent), m_settings(settings), m_store(store)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(m_settings.flushIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &DeployLogWriter::flush);
}

DeployLogWriter::~DeployLogWriter()
{
    m_closing = true;
    flush();  // the AsyncStore waits for queued tasks before it closes
}

store::LogBounds DeployLogWriter::bounds() const
{
    store::LogBounds b;
    b.maxLines = m_settings.deployLogLines;
    b.maxChars = qint64(m_settings.deployLogKb) * 1024;
    b.deploysKept = m_settings.deployLogsKept;
    b.appLogsKept = m_settings.appLogsKept;
    return b;
}

void DeployLogWriter::append(const QString &app, int deploy, const QString &stream, const QString &line)
{
    QString kept = line.size() > kMaxLineChars ? line.left(kMaxLineChars) + u'…' : line;
    m_pending.append(store::DeployLogLine{app, deploy, QDateTime::currentDateTimeUtc(), stream, std::move(kept)});
    if (!m_timer.isActive())
        m_timer.start();
}

void DeployLogWriter::forget(const QString &app)
{
    m_pending.removeIf([&app](const store::DeployLogLine &l) { return l.app == app; });
    m_written.removeIf([prefix = app + u'#'](const auto &it) { return it.key().startsWith(prefix); });
}

void DeployLogWriter::flush()
{
    m_timer.stop();
    if (m_pending.isEmpty() || !m_store)
        return;
    const QList<store::DeployLogLine> batch = std::exchange(m_pending, {});
    // Bounds while a deploy runs: a trim once a deploy went past them by a tenth.
    QList<std::pair<QString, int>> over;
    const store::LogBounds b = bounds();
    for (const store::DeployLogLine &l : batch) {
        Written &w = m_written[l.app + u'#' + QString::number(l.deploy)];
        ++w.lines;
        w.chars += l.line.size() + 1;
        if (w.lines > b.maxLines + b.maxLines / 10 || w.chars > b.maxChars + b.maxChars / 10) {
            w.lines = b.maxLines;
            w.chars = b.maxChars;
            if (!over.contains(std::pair{l.app, l.deploy}))
                over.append({l.app, l.deploy});
        }
    }
    auto write = [batch, over, b](store::Store &s) -> Result<void> {
        if (auto ok = s.appendDeployLog(batch); !ok)
            return ok;
        for (const auto &[app, deploy] : over) {
            if (auto ok = s.trimDeployLog(app, deploy, b, false); !ok)
                return ok;
        }
        return {};
    };
    if (m_closing) {
        m_store->run(std::move(write));  // nobody is left to hear how it went
        return;
    }
    m_store->run(std::move(write)).then(this, [n = batch.size()](const Result<void> &r) {
        if (!r)
            qCWarning(lcMaster).noquote() << "cannot store" << n << "deploy log lines:" << r.error().message;
    });
}

void DeployLogWriter::finish(const QString &app, int deploy)
{
    flush();
    m_written.remove(app + u'#' + QString::number(deploy));
    if (!m_store)
        return;
    m_store->run([app, deploy, b = bounds()](store::Store &s) { return s.trimDeployLog(app, deploy, b, true); })
        .then(this, [app](const Result<void> &r) {
            if (!r)
                qCWarning(lcMaster).noquote() << "cannot trim the deploy log of" << app << ":" << r.error().message;
        });
}

} // namespace gasper::master
