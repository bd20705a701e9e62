// SPDX-License-Identifier: MIT
// The command lines that reach an app's container over Gasper's SSH service, for the host
// the page was loaded from (the API's answer has the port and user, not the host).
export function sshCommands(ssh, host) {
  if (!ssh || !ssh.port || !ssh.user || !host) return null;
  const address = `${ssh.user}@${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}`;
  return { ssh: `ssh -p ${ssh.port} ${address}`, sftp: `sftp -P ${ssh.port} ${address}` };
}
