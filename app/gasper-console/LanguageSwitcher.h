// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QPointer>
#include <QQmlEngine>
#include <QTranslator>

namespace gasper::console {

// Switches the UI language at run time: loads `:/i18n/console_<lang>.qm` into the
// application and asks the QML engine to re-evaluate every qsTr() binding. The choice is
// remembered in QSettings (`language`); the first start follows the system locale.
class LanguageSwitcher final : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_DISABLE_COPY_MOVE(LanguageSwitcher)
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged)
    Q_PROPERTY(QStringList languages READ languages CONSTANT)

public:
    explicit LanguageSwitcher(QObject *parent = nullptr);
    static LanguageSwitcher *create(QQmlEngine *engine, QJSEngine *);
    static LanguageSwitcher *instance();

    QString language() const { return m_language; }
    // "en", "ja", "de". Unknown codes fall back to English.
    void setLanguage(const QString &language);
    QStringList languages() const { return {QStringLiteral("en"), QStringLiteral("ja"), QStringLiteral("de")}; }
    Q_INVOKABLE QString nativeName(const QString &language) const;
    void setEngine(QQmlEngine *engine) { m_engine = engine; }

signals:
    void languageChanged();

private:
    QString m_language;
    QTranslator m_translator;
    QPointer<QQmlEngine> m_engine;
};

} // namespace gasper::console
