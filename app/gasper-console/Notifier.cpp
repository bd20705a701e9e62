// SPDX-License-Identifier: MIT
#include "Notifier.h"

#include <QApplication>
#include <QIcon>
#include <QPainter>
#include <QPixmap>
#include <QSystemTrayIcon>

namespace gasper::console {

namespace {
QIcon trayIcon()
{
    QPixmap pixmap(64, 64);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setBrush(QColor(0x2e, 0x86, 0xde));
    p.setPen(Qt::NoPen);
    p.drawRoundedRect(4, 4, 56, 56, 14, 14);
    p.setPen(Qt::white);
    QFont font = p.font();
    font.setBold(true);
    font.setPixelSize(38);
    p.setFont(font);
    p.drawText(pixmap.rect(), Qt::AlignCenter, QStringLiteral("G"));
    return QIcon(pixmap);
}
} // namespace

Notifier::Notifier(QObject *parent)
    : QObject(parent)
{
    if (!qobject_cast<QApplication *>(QCoreApplication::instance()) || !QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(trayIcon(), this);
    m_tray->setToolTip(QStringLiteral("Gasper console"));
    connect(m_tray, &QSystemTrayIcon::activated, this, &Notifier::activated);
    m_tray->show();
}

Notifier::~Notifier() = default;

void Notifier::show(const QString &title, const QString &message)
{
    if (m_tray)
        m_tray->showMessage(title, message, QSystemTrayIcon::Information, 8000);
}

} // namespace gasper::console
