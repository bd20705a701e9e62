// SPDX-License-Identifier: MIT
// gasperctl: the command-line client of the Gasper API. All logic is in gasper_ctl.
#include "Commands.h"
#include "Console.h"

#include <QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("gasperctl"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GASPER_VERSION));
    gasper::ctl::Console console;
    return gasper::ctl::runGasperctl(QCoreApplication::arguments(), console);
}
