// SPDX-License-Identifier: MIT
// The token vault with no keychain service (ctest runs this without a D-Bus session bus):
// qtkeychain fails, the vault says so and keeps the token in a 0600 file in a 0700 folder,
// reads it back, tightens a file left too open, and forgets it on remove.
#include "TokenVault.h"

#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace gasper;
using namespace gasper::console;

namespace {
int modeOf(const QString &path)
{
    struct stat st{};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 0777);
}
} // namespace

class KeychainTest : public QObject
{
    Q_OBJECT

private slots:
    void withoutASecretServiceTheTokenGoesToAPrivateFile()
    {
        QTemporaryDir dir;
        const QString folder = dir.path() + QStringLiteral("/config");
        TokenVault vault(folder);
        QSignalSpy fallback(&vault, &TokenVault::fallbackChanged);
        std::optional<Result<void>> stored;
        vault.store(QStringLiteral("http://127.0.0.1:3000"), QStringLiteral("gsp_secret-token"), this,
                    [&stored](const Result<void> &r) { stored = r; });
        QTRY_VERIFY_WITH_TIMEOUT(stored.has_value(), 30000);
        QVERIFY2(stored->has_value(), qPrintable(stored->has_value() ? QString() : stored->error().message));
        QVERIFY(vault.fallbackActive());
        QCOMPARE(fallback.count(), 1);
        QVERIFY(!vault.keychainError().isEmpty());
        QCOMPARE(modeOf(vault.fallbackPath()), 0600);
        QCOMPARE(modeOf(folder), 0700);
        QFile file(vault.fallbackPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("gsp_secret-token"));

        std::optional<Result<std::optional<QString>>> loaded;
        vault.load(QStringLiteral("http://127.0.0.1:3000"), this, [&loaded](const Result<std::optional<QString>> &r) { loaded = r; });
        QTRY_VERIFY(loaded.has_value());
        QVERIFY(loaded->has_value() && loaded->value().has_value());
        QCOMPARE(*loaded->value(), QStringLiteral("gsp_secret-token"));
    }

    void aFreshVaultFindsTheTokenAnEarlierRunFiled()
    {
        QTemporaryDir dir;
        QVERIFY(detail::writeTokenFile(dir.path() + QStringLiteral("/tokens.json"), QStringLiteral("m"), QStringLiteral("t1")));
        TokenVault vault(dir.path());  // tries the keychain first, then the file
        std::optional<Result<std::optional<QString>>> loaded;
        vault.load(QStringLiteral("m"), this, [&loaded](const Result<std::optional<QString>> &r) { loaded = r; });
        QTRY_VERIFY_WITH_TIMEOUT(loaded.has_value(), 30000);
        QVERIFY(loaded->has_value() && loaded->value().has_value());
        QCOMPARE(*loaded->value(), QStringLiteral("t1"));
        QVERIFY(vault.fallbackActive());
    }

    void removeForgetsOnlyThatMaster()
    {
        QTemporaryDir dir;
        TokenVault vault(dir.path());
        vault.forceFallback(QStringLiteral("test"));
        int done = 0;
        vault.store(QStringLiteral("a"), QStringLiteral("ta"), this, [&done](const Result<void> &) { ++done; });
        vault.store(QStringLiteral("b"), QStringLiteral("tb"), this, [&done](const Result<void> &) { ++done; });
        vault.remove(QStringLiteral("a"), this, [&done](const Result<void> &) { ++done; });
        QTRY_COMPARE(done, 3);
        QCOMPARE(detail::readTokenFile(vault.fallbackPath(), QStringLiteral("a")).value(), std::nullopt);
        QCOMPARE(detail::readTokenFile(vault.fallbackPath(), QStringLiteral("b")).value(), std::optional<QString>(QStringLiteral("tb")));
    }

    void aFileLeftOpenIsTightened()
    {
        QTemporaryDir dir;
        const QString path = dir.path() + QStringLiteral("/tokens.json");
        QFile loose(path);
        QVERIFY(loose.open(QIODevice::WriteOnly));
        loose.write("{}");
        loose.close();
        ::chmod(QFile::encodeName(path).constData(), 0644);
        QVERIFY(detail::writeTokenFile(path, QStringLiteral("m"), QStringLiteral("t")));
        QCOMPARE(modeOf(path), 0600);
    }

    void callbacksDoNotOutliveTheirContext()
    {
        QTemporaryDir dir;
        TokenVault vault(dir.path());
        vault.forceFallback(QStringLiteral("test"));
        bool called = false;
        {
            QObject context;
            vault.store(QStringLiteral("m"), QStringLiteral("t"), &context, [&called](const Result<void> &) { called = true; });
        }
        bool after = false;
        vault.load(QStringLiteral("m"), this, [&after](const Result<std::optional<QString>> &) { after = true; });
        QTRY_VERIFY(after);
        QVERIFY(!called);
    }
};

QTEST_MAIN(KeychainTest)
#include "tst_console_keychain.moc"
