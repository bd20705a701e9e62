// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QPointer>
#include <QQmlEngine>

class QSystemTrayIcon;
class QMenu;

namespace gasper::console {

// The tray icon and its balloon messages (a deploy failed, an app recovered). Needs a
// QApplication (QSystemTrayIcon is a Widgets class) and a system tray; where either is
// missing (offscreen, a bare X server) `available` is false and notifications only show
// inside the window. Clicking the icon raises the window.
class Notifier : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_DISABLE_COPY_MOVE(Notifier)
    Q_PROPERTY(bool available READ available CONSTANT)

public:
    explicit Notifier(QObject *parent = nullptr);
    ~Notifier() override;

    bool available() const { return m_tray != nullptr; }
    Q_INVOKABLE void show(const QString &title, const QString &message);

signals:
    void activated();

private:
    QSystemTrayIcon *m_tray = nullptr;
};

} // namespace gasper::console
