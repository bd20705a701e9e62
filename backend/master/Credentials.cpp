// SPDX-License-Identifier: MIT
#include "master/Credentials.h"

#include <QCryptographicHash>
#include <QThreadPool>
#include <QtConcurrent>

#include <atomic>

#include <sodium.h>

namespace gasper::master {

namespace {

QThreadPool *hashPool()
{
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool;
        p->setMaxThreadCount(2);  // bounds memory: 64 MiB per hash in flight
        if (sodium_init() < 0)
            qFatal("libsodium failed to initialise");
        return p;
    }();
    return pool;
}

// A real hash to verify against when the user does not exist, so that a login
// takes as long for an unknown name as for a wrong password.
const QByteArray &dummyHash()
{
    static const QByteArray hash = [] {
        char out[crypto_pwhash_STRBYTES];
        const char pw[] = "gasper-timing-equaliser";
        if (crypto_pwhash_str(out, pw, sizeof pw - 1, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
            return QByteArray();
        return QByteArray(out);
    }();
    return hash;
}

std::atomic<int> g_pending{0};
std::atomic<int> g_maxPending{16};

// Takes a place in the queue; false when it is full.
bool reserve()
{
    int pending = g_pending.load();
    do {
        if (pending >= g_maxPending.load())
            return false;
    } while (!g_pending.compare_exchange_weak(pending, pending + 1));
    return true;
}

struct Release
{
    ~Release() { g_pending.fetch_sub(1); }
};

template<class T>
QFuture<Result<T>> busy()
{
    return QtFuture::makeReadyFuture(Result<T>(fail(QStringLiteral("busy"),
                                                    QStringLiteral("too many password checks at once: try again in a second"))));
}

} // namespace

int maxPendingPasswordChecks()
{
    return g_maxPending.load();
}

void setMaxPendingPasswordChecks(int n)
{
    g_maxPending.store(qMax(1, n));
}

int pendingPasswordChecks()
{
    return g_pending.load();
}

Future<Result<QString>> hashPassword(const QString &password)
{
    if (!reserve())
        return busy<QString>();
    return QtConcurrent::run(hashPool(), [password]() -> Result<QString> {
        const Release release;
        const QByteArray utf8 = password.toUtf8();
        char out[crypto_pwhash_STRBYTES];
        if (crypto_pwhash_str(out, utf8.constData(), quint64(utf8.size()), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
            return fail(QStringLiteral("internal-error"), QStringLiteral("out of memory while hashing the password"));
        return QString::fromLatin1(out);
    });
}

Future<Result<bool>> verifyPassword(const QString &hash, const QString &password)
{
    if (!reserve())
        return busy<bool>();
    return QtConcurrent::run(hashPool(), [hash, password]() -> Result<bool> {
        const Release release;
        const QByteArray utf8 = password.toUtf8();
        const QByteArray stored = hash.isEmpty() ? dummyHash() : hash.toLatin1();
        const bool ok = crypto_pwhash_str_verify(stored.constData(), utf8.constData(), quint64(utf8.size())) == 0;
        return ok && !hash.isEmpty();
    });
}

QString newToken()
{
    hashPool();  // sodium_init
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    return QStringLiteral("gsp_")
           + QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(bytes), sizeof bytes)
                                     .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QByteArray tokenHash(QStringView token)
{
    return QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256).toHex();
}

} // namespace gasper::master
