// SPDX-License-Identifier: MIT
#include "LanguageSwitcher.h"

#include "ConsoleLog.h"

#include <QCoreApplication>
#include <QLocale>
#include <QSettings>

namespace gasper::console {

namespace {
LanguageSwitcher *g_instance = nullptr;
}

LanguageSwitcher::LanguageSwitcher(QObject *parent)
    : QObject(parent)
{
    const QString saved = QSettings().value(QStringLiteral("language")).toString();
    const QString system = QLocale::system().name().left(2);
    setLanguage(saved.isEmpty() ? system : saved);
}

LanguageSwitcher *LanguageSwitcher::instance()
{
    if (!g_instance)
        g_instance = new LanguageSwitcher(QCoreApplication::instance());
    return g_instance;
}

LanguageSwitcher *LanguageSwitcher::create(QQmlEngine *engine, QJSEngine *)
{
    LanguageSwitcher *switcher = instance();
    QJSEngine::setObjectOwnership(switcher, QJSEngine::CppOwnership);
    switcher->setEngine(engine);
    return switcher;
}

QString LanguageSwitcher::nativeName(const QString &language) const
{
    if (language == u"ja")
        return QStringLiteral("日本語");
    if (language == u"de")
        return QStringLiteral("Deutsch");
    return QStringLiteral("English");
}

void LanguageSwitcher::setLanguage(const QString &requested)
{
    const QString language = languages().contains(requested) ? requested : QStringLiteral("en");
    if (language == m_language)
        return;
    QCoreApplication::removeTranslator(&m_translator);
    // English too: its file holds the plural forms ("1 app", "2 apps").
    if (m_translator.load(QStringLiteral(":/i18n/console_") + language))
        QCoreApplication::installTranslator(&m_translator);
    else
        qCWarning(lcConsole) << "no translation for" << language;
    m_language = language;
    QSettings().setValue(QStringLiteral("language"), language);
    if (m_engine)
        m_engine->retranslate();
    emit languageChanged();
}

} // namespace gasper::console
