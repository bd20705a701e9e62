// SPDX-License-Identifier: MIT
// The pieces of the SSH service that need no network: limits, host key, public keys.

#include "ssh/Keys.h"
#include "ssh/Limits.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace gasper;
using namespace gasper::ssh;
using namespace Qt::StringLiterals;

class SshUnitTest : public QObject
{
    Q_OBJECT

private slots:
    void maxStartupsAdmitsBelowStartAndDropsRandomlyAbove_data();
    void maxStartupsAdmitsBelowStartAndDropsRandomlyAbove();
    void failedLoginsLockAKeyForTheWindowOnly();
    void hostKeyIsMadeOncePrivateAndKeepsItsFingerprint();
    void hostKeyFingerprintMatchesSshKeygen();
    void publicKeysAreValidated_data();
    void publicKeysAreValidated();
    void publicKeyFingerprintMatchesSshKeygen();

private:
    QTemporaryDir m_dir;
};

void SshUnitTest::maxStartupsAdmitsBelowStartAndDropsRandomlyAbove_data()
{
    QTest::addColumn<int>("unauthenticated");
    QTest::addColumn<double>("random");
    QTest::addColumn<bool>("admitted");
    // 10:30:100 — p(drop) = 30 % at 10, rising to 100 % at 100.
    QTest::newRow("below start") << 9 << 0.0 << true;
    QTest::newRow("at start, lucky") << 10 << 0.31 << true;
    QTest::newRow("at start, unlucky") << 10 << 0.29 << false;
    QTest::newRow("halfway, p = 65 %, lucky") << 55 << 0.66 << true;
    QTest::newRow("halfway, p = 65 %, unlucky") << 55 << 0.64 << false;
    QTest::newRow("full") << 100 << 0.999 << false;
    QTest::newRow("beyond full") << 150 << 0.999 << false;
}

void SshUnitTest::maxStartupsAdmitsBelowStartAndDropsRandomlyAbove()
{
    QFETCH(int, unauthenticated);
    QFETCH(double, random);
    QFETCH(bool, admitted);
    QCOMPARE(admitStartup(unauthenticated, 10, 30, 100, random), admitted);
}

void SshUnitTest::failedLoginsLockAKeyForTheWindowOnly()
{
    FailureLimiter limiter(3, 60);
    const QDateTime t0 = QDateTime::fromSecsSinceEpoch(1'700'000'000, Qt::UTC);
    limiter.failed(u"web"_s, t0);
    limiter.failed(u"web"_s, t0.addSecs(10));
    QVERIFY(!limiter.isLocked(u"web"_s, t0.addSecs(11)));
    limiter.failed(u"web"_s, t0.addSecs(20));
    QVERIFY(limiter.isLocked(u"web"_s, t0.addSecs(21)));
    QVERIFY(!limiter.isLocked(u"api"_s, t0.addSecs(21)));  // per key
    // The oldest failure leaves the window at t0 + 60: two remain, unlocked.
    QVERIFY(limiter.isLocked(u"web"_s, t0.addSecs(59)));
    QVERIFY(!limiter.isLocked(u"web"_s, t0.addSecs(61)));
    QVERIFY(!limiter.isLocked(u"web"_s, t0.addSecs(200)));
    QCOMPARE(limiter.trackedKeys(), 0);  // forgotten once all failures left the window
}

void SshUnitTest::hostKeyIsMadeOncePrivateAndKeepsItsFingerprint()
{
    const QString path = m_dir.filePath(u"host_key"_s);
    auto first = HostKey::loadOrCreate(path);
    QVERIFY2(first, qPrintable(first ? QString() : first.error().message));
    QVERIFY(first->fingerprint().startsWith(u"SHA256:"));
    QVERIFY(first->publicKeyLine().startsWith(u"ssh-ed25519 "));
    QCOMPARE(QFile::permissions(path), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser
                                           | QFileDevice::WriteUser);
    auto second = HostKey::loadOrCreate(path);
    QVERIFY(second);
    QCOMPARE(second->fingerprint(), first->fingerprint());
    QCOMPARE(second->privateKeyText(), first->privateKeyText());

    QFile garbage(m_dir.filePath(u"garbage"_s));
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write("not a key\n");
    garbage.close();
    auto bad = HostKey::loadOrCreate(garbage.fileName());
    QVERIFY(!bad);
    QCOMPARE(bad.error().code, u"ssh-host-key"_s);
}

void SshUnitTest::hostKeyFingerprintMatchesSshKeygen()
{
    const QString path = m_dir.filePath(u"host_key2"_s);
    auto key = HostKey::loadOrCreate(path);
    QVERIFY(key);
    QProcess keygen;
    keygen.start(u"ssh-keygen"_s, {u"-l"_s, u"-f"_s, path});
    QVERIFY(keygen.waitForFinished(10000));
    QVERIFY2(keygen.readAllStandardOutput().contains(key->fingerprint().toLatin1()), "ssh-keygen -l disagrees");
}

void SshUnitTest::publicKeysAreValidated_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");  // empty: valid
    const QString ed = u"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"_s;
    QTest::newRow("ed25519 with comment") << ed + u" alice@laptop"_s << QString();
    QTest::newRow("ed25519 without comment") << ed << QString();
    QTest::newRow("surrounding blanks") << u"  "_s + ed + u"\n"_s << QString();
    QTest::newRow("empty") << QString() << u"one line"_s;
    QTest::newRow("type only") << u"ssh-ed25519"_s << u"one line"_s;
    QTest::newRow("unknown type") << u"ssh-foo AAAA"_s << u"Unknown key type"_s;
    QTest::newRow("garbage base64") << u"ssh-ed25519 !!!notbase64"_s << u"does not parse"_s;
    QTest::newRow("truncated blob") << u"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0"_s << u"does not parse"_s;
    QTest::newRow("type differs from blob") << u"ssh-rsa "_s + ed.section(u' ', 1) << u"*"_s;  // any refusal
    QTest::newRow("certificate") << u"ssh-ed25519-cert-v01@openssh.com AAAA"_s << u"Certificates"_s;
}

void SshUnitTest::publicKeysAreValidated()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    auto key = PublicKey::parse(text);
    if (error.isEmpty()) {
        QVERIFY2(key, qPrintable(key ? QString() : key.error().message));
        QCOMPARE(key->type, u"ssh-ed25519"_s);
        QVERIFY(key->fingerprint.startsWith(u"SHA256:"));
        QCOMPARE(key->line(), text.trimmed().section(u' ', 0, 1));
    } else {
        QVERIFY(!key);
        QCOMPARE(key.error().code, u"invalid-key"_s);
        QVERIFY2(error == u"*" || key.error().message.contains(error), qPrintable(key.error().message));
    }
}

void SshUnitTest::publicKeyFingerprintMatchesSshKeygen()
{
    const QString path = m_dir.filePath(u"id_rsa"_s);
    QProcess keygen;
    keygen.start(u"ssh-keygen"_s, {u"-q"_s, u"-t"_s, u"rsa"_s, u"-b"_s, u"1024"_s, u"-N"_s, QString(), u"-f"_s, path});
    QVERIFY(keygen.waitForFinished(30000));
    QFile pub(path + u".pub"_s);
    QVERIFY(pub.open(QIODevice::ReadOnly));
    auto weak = PublicKey::parse(QString::fromLatin1(pub.readAll()));
    QVERIFY(!weak);
    QVERIFY2(weak.error().message.contains(u"1024"), qPrintable(weak.error().message));

    const QString edPath = m_dir.filePath(u"id_ed25519"_s);
    keygen.start(u"ssh-keygen"_s, {u"-q"_s, u"-t"_s, u"ed25519"_s, u"-N"_s, QString(), u"-C"_s, u"me@there"_s, u"-f"_s, edPath});
    QVERIFY(keygen.waitForFinished(30000));
    QFile edPub(edPath + u".pub"_s);
    QVERIFY(edPub.open(QIODevice::ReadOnly));
    auto key = PublicKey::parse(QString::fromLatin1(edPub.readAll()));
    QVERIFY(key);
    QCOMPARE(key->comment, u"me@there"_s);
    keygen.start(u"ssh-keygen"_s, {u"-l"_s, u"-E"_s, u"sha256"_s, u"-f"_s, edPath + u".pub"_s});
    QVERIFY(keygen.waitForFinished(10000));
    QVERIFY(keygen.readAllStandardOutput().contains(key->fingerprint.toLatin1()));
}

QTEST_GUILESS_MAIN(SshUnitTest)
#include "tst_ssh_unit.moc"
