// SPDX-License-Identifier: MIT
// git::remoteHead (push to deploy's branch polling): the branch head as `git ls-remote` sees
// it, over a local path, file:// and the real smart-HTTP server with and without a token;
// its errors carry the clone's codes and never the token.

#include "git/GitClone.h"
#include "support/GitFixtures.h"

#include <QTemporaryDir>
#include <QTest>

using namespace gasper::testing;
using namespace Qt::StringLiterals;

namespace {
const QString kToken = u"remote-head-token-4711"_s;
}

class tst_GitRemote : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_repo;
    QString m_main, m_feature;
    GitHttpServer m_open;
    GitHttpServer m_locked;
    QString m_openBase, m_lockedBase;

    // `git ls-remote` itself: what the answer must equal.
    QString lsRemote(const QString &ref)
    {
        auto out = runGit(m_dir.path(), {u"ls-remote"_s, m_repo, ref});
        return out ? out->section(u'\t', 0, 0) : QString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_repo = m_dir.filePath(u"repo"_s);
        auto main = createRepository(m_repo, {{u"a.txt"_s, "one\n"}});
        QVERIFY2(main, qPrintable(errorText(main)));
        auto feature = addBranch(m_repo, u"feature"_s, {{u"b.txt"_s, "two\n"}});
        QVERIFY2(feature, qPrintable(errorText(feature)));
        m_main = *main;
        m_feature = *feature;
        auto open = m_open.start(m_dir.path());
        QVERIFY2(open, qPrintable(errorText(open)));
        m_openBase = *open;
        auto locked = m_locked.start(m_dir.path(), {.token = kToken});
        QVERIFY2(locked, qPrintable(errorText(locked)));
        m_lockedBase = *locked;
    }

    void headsMatchLsRemote_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("token");
        const QString repo = m_dir.filePath(u"repo"_s);
        QTest::newRow("path") << repo << QString();
        QTest::newRow("file://") << QString(u"file://"_s + repo) << QString();
        QTest::newRow("http") << QString(m_openBase + u"/repo"_s) << QString();
        QTest::newRow("http + token") << QString(m_lockedBase + u"/repo"_s) << kToken;
    }
    void headsMatchLsRemote()
    {
        QFETCH(QString, url);
        QFETCH(QString, token);
        for (const QString &branch : {u"main"_s, u"feature"_s}) {
            auto head = gasper::git::remoteHeadBlocking({.url = url, .branch = branch, .token = token, .timeoutSec = 30});
            QVERIFY2(head, qPrintable(errorText(head)));
            QCOMPARE(*head, lsRemote(u"refs/heads/"_s + branch));
        }
        auto defaultHead = gasper::git::remoteHeadBlocking({.url = url, .token = token, .timeoutSec = 30});
        QVERIFY2(defaultHead, qPrintable(errorText(defaultHead)));
        QCOMPARE(*defaultHead, m_main);
    }

    void aNewCommitMovesTheHead()
    {
        const QString url = m_openBase + u"/repo"_s;
        auto before = gasper::git::remoteHeadBlocking({.url = url, .branch = u"main"_s});
        QVERIFY(before);
        auto moved = commitFiles(m_repo, {{u"c.txt"_s, "three\n"}}, u"three"_s);
        QVERIFY2(moved, qPrintable(errorText(moved)));
        auto after = gasper::git::remoteHead({.url = url, .branch = u"main"_s}).result();  // the pool's way
        QVERIFY2(after, qPrintable(errorText(after)));
        QCOMPARE(*after, *moved);
        QVERIFY(*after != *before);
    }

    void failuresHaveTheClonesCodes_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("branch");
        QTest::addColumn<QString>("token");
        QTest::addColumn<QString>("code");
        QTest::newRow("unknown branch") << QString(m_openBase + u"/repo"_s) << u"nope"_s << QString() << u"git-branch-not-found"_s;
        QTest::newRow("no token") << QString(m_lockedBase + u"/repo"_s) << u"main"_s << QString() << u"git-auth-failed"_s;
        QTest::newRow("wrong token") << QString(m_lockedBase + u"/repo"_s) << u"main"_s << u"wrong-token-0815"_s
                                     << u"git-auth-failed"_s;
        QTest::newRow("no repository") << QString(m_openBase + u"/nothing"_s) << u"main"_s << QString() << u"git-not-found"_s;
        QTest::newRow("no such path") << m_dir.filePath(u"missing"_s) << u"main"_s << QString() << u"git-not-found"_s;
        QTest::newRow("not a url") << u"::nonsense::"_s << u"main"_s << QString() << u"git-invalid-url"_s;
    }
    void failuresHaveTheClonesCodes()
    {
        QFETCH(QString, url);
        QFETCH(QString, branch);
        QFETCH(QString, token);
        QFETCH(QString, code);
        auto head = gasper::git::remoteHeadBlocking({.url = url, .branch = branch, .token = token, .timeoutSec = 30});
        QVERIFY(!head);
        QCOMPARE(head.error().code, code);
        if (!token.isEmpty())
            QVERIFY2(!head.error().message.contains(token), qPrintable(head.error().message));
    }
};

QTEST_GUILESS_MAIN(tst_GitRemote)
#include "tst_git_remote.moc"
