// SPDX-License-Identifier: MIT
#include "master/HooksApi.h"

#include "core/Log.h"
#include "master/ApiSupport.h"
#include "master/AppStates.h"
#include "master/PushDeploys.h"
#include "master/Webhooks.h"
#include "store/AsyncStore.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace gasper::master {

namespace {

constexpr int kShownDeliveries = 20;
constexpr int kMaxPollSeconds = 86400;

QJsonObject deliveryToJson(const store::HookDelivery &d)
{
    QJsonObject o{{u"at"_s, isoTime(d.at)}, {u"source"_s, d.source}, {u"event"_s, d.event},
                  {u"branch"_s, d.branch}, {u"commit"_s, d.commit}, {u"outcome"_s, d.outcome},
                  {u"detail"_s, d.detail}};
    if (d.deploy > 0)
        o.insert(u"deploy"_s, d.deploy);
    return o;
}

} // namespace

HooksApi::HooksApi(const ApiContext &context, QObject *parent)
    : ApiResource(context, parent), m_push(new PushDeploys(context.config, context.store, context.states, context.worker, this))
{
}

void HooksApi::addRoutes(Router &r)
{
    r.add("POST", u"/api/v1/hooks/{name}"_s, Access::Public, this, &HooksApi::deliver);
    r.add("GET", u"/api/v1/apps/{name}/hooks"_s, Access::Token, this, &HooksApi::show);
    r.add("PATCH", u"/api/v1/apps/{name}/hooks"_s, Access::Token, this, &HooksApi::patch);
    r.add("POST", u"/api/v1/apps/{name}/hooks/rotate"_s, Access::Token, this, &HooksApi::rotate);
}

void HooksApi::start()
{
    m_push->load();
}

QString HooksApi::hookUrl(const CallPtr &call, const QString &app) const
{
    QString base = m_ctx.config.publicUrl;
    if (base.isEmpty()) {
        const QByteArray host = call->headers().value("Host").trimmed();
        base = host.isEmpty() ? u"http://%1:%2"_s.arg(m_ctx.config.api.host).arg(m_ctx.config.api.port)
                              : u"http://"_s + QString::fromLatin1(host);
    }
    while (base.endsWith(u'/'))
        base.chop(1);
    return base + u"/api/v1/hooks/"_s + app;
}

// ---- the webhook ---------------------------------------------------------------------

void HooksApi::deliver(const CallPtr &call)
{
    const QString name = call->param(u"name"_s);
    const HookProvider provider = hooks::detectProvider(call->headers());
    using Loaded = std::pair<store::AppRecord, store::AppHook>;
    m_ctx.store
        ->run([name, secret = hooks::newSecret()](store::Store &s) -> Result<Loaded> {
            auto app = s.app(name);
            if (!app)
                return std::unexpected(app.error());
            auto hook = s.appHook(name, secret);
            if (!hook)
                return std::unexpected(hook.error());
            return Loaded{*app, *hook};
        })
        .then(this, [this, call, name, provider](const Result<Loaded> &loaded) {
            if (!loaded) {
                if (loaded.error().code == u"not-found") {
                    qCInfo(lcMaster).noquote() << "webhook for unknown app" << name << "from" << call->peer().toString();
                    return call->fail(u"not-found"_s, u"no app named '%1'"_s.arg(name));
                }
                return call->fail(loaded.error());
            }
            const auto &[app, hook] = *loaded;
            store::HookDelivery delivery;
            delivery.app = name;
            delivery.at = QDateTime::currentDateTimeUtc();
            delivery.source = toString(provider);
            delivery.event = hooks::eventName(provider, call->headers());
            const QByteArray secret = hook.secret.toUtf8();
            if (auto ok = hooks::verify(provider, call->headers(), call->body(), secret); !ok) {
                delivery.outcome = u"refused"_s;
                delivery.detail = ok.error().message;
                qCWarning(lcMaster).noquote() << "webhook of" << name << "refused:" << ok.error().code << "sender"
                                              << delivery.source << "from" << call->peer().toString();
                conclude(call, delivery, 0);
                return call->fail(ok.error());
            }
            auto event = hooks::parse(provider, call->headers(), call->body());
            if (!event) {
                delivery.outcome = u"refused"_s;
                delivery.detail = event.error().message;
                qCWarning(lcMaster).noquote() << "webhook of" << name << "refused:" << event.error().code;
                conclude(call, delivery, 0);
                return call->fail(event.error());
            }
            delivery.event = event->event;
            delivery.branch = event->branch.isEmpty() ? event->ref : event->branch;
            delivery.commit = event->commit;
            if (event->isPing) {
                delivery.outcome = u"ping"_s;
                delivery.detail = u"the webhook reaches gasper and its secret matches"_s;
                return conclude(call, delivery, 200);
            }
            if (!event->isPush) {
                delivery.outcome = u"ignored"_s;
                delivery.detail = u"'%1' is not a push event; only pushes deploy"_s.arg(event->event);
                return conclude(call, delivery, 202);
            }
            const QString wanted = app.spec.git.branch;
            if (wanted.isEmpty() && event->defaultBranch.isEmpty() && !event->branch.isEmpty()) {
                // Never guess: any branch would deploy.
                delivery.outcome = u"ignored"_s;
                delivery.detail = u"the app follows the repository's default branch and the payload does not say which "
                                  "that is: set the app's branch"_s;
                return conclude(call, delivery, 202);
            }
            const bool branchMatches = !event->branch.isEmpty()
                                       && event->branch == (wanted.isEmpty() ? event->defaultBranch : wanted);
            if (!branchMatches) {
                delivery.outcome = u"ignored"_s;
                delivery.detail = event->branch.isEmpty()
                                      ? u"the push is to %1, not to a branch"_s.arg(event->ref.isEmpty() ? u"no ref"_s : event->ref)
                                      : u"the push is to branch '%1'; this app deploys '%2'"_s.arg(
                                            event->branch, wanted.isEmpty() ? event->defaultBranch : wanted);
                return conclude(call, delivery, 202);
            }
            if (event->deleted) {
                delivery.outcome = u"ignored"_s;
                delivery.detail = u"the push deleted branch '%1'; nothing to deploy"_s.arg(event->branch);
                return conclude(call, delivery, 202);
            }
            if (event->skipCi) {
                delivery.outcome = u"ignored"_s;
                delivery.detail = u"the pushed commit's message asks to skip ([skip ci], [ci skip] or [skip deploy])"_s;
                return conclude(call, delivery, 202);
            }
            m_push->request(name, u"webhook"_s, [this, call, delivery](Result<PushDeploys::Started> started) mutable {
                if (!started) {
                    delivery.outcome = u"failed"_s;
                    delivery.detail = started.error().message;
                    conclude(call, delivery, 0);
                    return call->fail(started.error());
                }
                delivery.outcome = started->outcome;
                delivery.deploy = started->deploy;
                delivery.detail = started->outcome == u"queued"
                                      ? u"a deploy is running; one rebuild follows it (further pushes join that one)"_s
                                      : u"deploy #%1 started"_s.arg(started->deploy);
                conclude(call, delivery, 202);
            });
        });
}

// Logs and stores the delivery; with a status, answers it too (errors are answered by the caller).
void HooksApi::conclude(const CallPtr &call, store::HookDelivery delivery, int status)
{
    if (status > 0) {
        qCInfo(lcMaster).noquote() << "webhook of" << delivery.app << delivery.outcome << "sender" << delivery.source
                                   << "event" << delivery.event << "branch" << delivery.branch
                                   << (delivery.commit.isEmpty() ? QString() : u"commit "_s + delivery.commit.left(12))
                                   << "from" << call->peer().toString();
        QJsonObject body{{u"app"_s, delivery.app}, {u"outcome"_s, delivery.outcome}, {u"detail"_s, delivery.detail}};
        if (delivery.deploy > 0)
            body.insert(u"deploy"_s, delivery.deploy);
        call->finish(Answer::json(status, body));
    }
    m_ctx.store->run([delivery](store::Store &s) { return s.addHookDelivery(delivery); })
        .then(this, [app = delivery.app](const Result<void> &r) {
            if (!r && r.error().code != u"not-found")
                qCWarning(lcMaster).noquote() << "cannot store a webhook delivery of" << app << ":" << r.error().message;
        });
}

// ---- the owner's view ------------------------------------------------------------------

void HooksApi::answerHook(const CallPtr &call, const store::AppRecord &app, const store::AppHook &hook)
{
    m_ctx.store->run([name = app.spec.name](store::Store &s) { return s.hookDeliveries(name, kShownDeliveries); })
        .then(this, [this, call, app, hook](const Result<QList<store::HookDelivery>> &deliveries) {
            if (!deliveries)
                return call->fail(deliveries.error());
            QJsonArray list;
            for (const store::HookDelivery &d : *deliveries)
                list.append(deliveryToJson(d));
            call->finish(Answer::json(
                200, QJsonObject{{u"app"_s, app.spec.name},
                                 {u"url"_s, hookUrl(call, app.spec.name)},
                                 {u"secret"_s, hook.secret},
                                 {u"branch"_s, app.spec.git.branch},
                                 {u"poll_seconds"_s, hook.pollSeconds},
                                 {u"min_poll_seconds"_s, m_ctx.config.hookPollMinSec},
                                 {u"rotated_at"_s, isoTime(hook.rotatedAt)},
                                 {u"deliveries"_s, list}}));
        });
}

void HooksApi::show(const CallPtr &call)
{
    withOwnedApp(call, [this, call](const store::AppRecord &app) {
        m_ctx.store->run([name = app.spec.name, secret = hooks::newSecret()](store::Store &s) { return s.appHook(name, secret); })
            .then(this, [this, call, app](const Result<store::AppHook> &hook) {
                if (!hook)
                    return call->fail(hook.error());
                answerHook(call, app, *hook);
            });
    });
}

void HooksApi::rotate(const CallPtr &call)
{
    withOwnedApp(call, [this, call](const store::AppRecord &app) {
        m_ctx.store->run([name = app.spec.name, secret = hooks::newSecret()](store::Store &s) { return s.rotateAppHook(name, secret); })
            .then(this, [this, call, app](const Result<store::AppHook> &hook) {
                if (!hook)
                    return call->fail(hook.error());
                qCInfo(lcMaster).noquote() << "webhook secret of" << app.spec.name << "rotated by" << call->user().username;
                answerHook(call, app, *hook);
            });
    });
}

void HooksApi::patch(const CallPtr &call)
{
    auto body = parseJsonObject(call->body());
    if (!body)
        return call->fail(body.error());
    for (auto it = body->constBegin(); it != body->constEnd(); ++it) {
        if (it.key() != u"poll_seconds")
            return call->fail(u"invalid-body"_s, u"unknown field '%1' (only poll_seconds may change)"_s.arg(it.key()));
    }
    const QJsonValue value = body->value(u"poll_seconds");
    const int min = m_ctx.config.hookPollMinSec;
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number != double(qint64(number)) || (number != 0 && (number < min || number > kMaxPollSeconds)))
        return call->fail(u"invalid-body"_s, u"poll_seconds must be 0 (off) or a whole number of seconds from %1 to %2"_s
                                                 .arg(min)
                                                 .arg(kMaxPollSeconds));
    const int seconds = int(number);
    withOwnedApp(call, [this, call, seconds](const store::AppRecord &app) {
        m_ctx.store
            ->run([name = app.spec.name, seconds, secret = hooks::newSecret()](store::Store &s) {
                return s.setAppHookPoll(name, seconds, secret);
            })
            .then(this, [this, call, app, seconds](const Result<store::AppHook> &hook) {
                if (!hook)
                    return call->fail(hook.error());
                m_push->setPoll(app.spec.name, seconds);
                qCInfo(lcMaster).noquote() << "polling of" << app.spec.name
                                           << (seconds ? u"every %1 s"_s.arg(seconds) : u"off"_s) << "by"
                                           << call->user().username;
                answerHook(call, app, *hook);
            });
    });
}

} // namespace gasper::master
