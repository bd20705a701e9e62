// SPDX-License-Identifier: MIT
// gasper-console: the desktop console. A QApplication (not a QGuiApplication) only so the
// tray icon (a Widgets class) works; the window itself is Qt Quick.
#include "LanguageSwitcher.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QQmlApplicationEngine>
#include <QQmlExtensionPlugin>
#include <QQuickStyle>
#include <QUrl>

Q_IMPORT_QML_PLUGIN(Gasper_ConsolePlugin)

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Gasper"));
    QApplication::setApplicationName(QStringLiteral("gasper-console"));
    QApplication::setApplicationVersion(QStringLiteral(GASPER_CONSOLE_VERSION));
    QApplication::setQuitOnLastWindowClosed(true);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Gasper desktop console"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption master(QStringLiteral("master"), QStringLiteral("Master URL to connect to."), QStringLiteral("url"));
    const QCommandLineOption lang(QStringLiteral("lang"), QStringLiteral("UI language: en, ja, de."), QStringLiteral("code"));
    const QCommandLineOption noKeychain(QStringLiteral("no-keychain"), QStringLiteral("Keep the token in a 0600 file, not the keychain."));
    const QCommandLineOption page(QStringLiteral("page"),
                                  QStringLiteral("Open a page: apps, create, app:NAME, terminal:NAME, nodes, settings."),
                                  QStringLiteral("page"));
    const QCommandLineOption theme(QStringLiteral("theme"), QStringLiteral("system, light or dark."), QStringLiteral("theme"));
    parser.addOptions({master, lang, noKeychain, page, theme});
    parser.process(app);

    QQuickStyle::setStyle(QStringLiteral("Fusion"));
    QQmlApplicationEngine engine;
    auto *switcher = gasper::console::LanguageSwitcher::instance();
    switcher->setEngine(&engine);
    if (parser.isSet(lang))
        switcher->setLanguage(parser.value(lang));
    engine.setInitialProperties({
        {QStringLiteral("initialMaster"), parser.value(master)},
        {QStringLiteral("initialPage"), parser.value(page)},
        {QStringLiteral("noKeychain"), parser.isSet(noKeychain)},
        {QStringLiteral("themeOverride"), parser.value(theme)},
    });
    QObject::connect(&engine, &QQmlApplicationEngine::objectCreationFailed, &app, [] { QCoreApplication::exit(1); },
                     Qt::QueuedConnection);
    engine.load(QUrl(QStringLiteral("qrc:/Gasper/Console/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;
    return QApplication::exec();
}
