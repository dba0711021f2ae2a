// The receiving end of the mail> tests: the npm package smtp-server on 127.0.0.1, set up from a
// JSON file (argv[2]); every message it accepts is parsed with mailparser and written to stdout
// as one JSON line, before the server answers 250 to it.
'use strict';
const fs = require('fs');
const path = require('path');

const setup = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const modules = path.join(setup.toolFolder, 'node_modules');
const { SMTPServer } = require(path.join(modules, 'smtp-server'));
const { simpleParser } = require(path.join(modules, 'mailparser'));

const say = (event) => process.stdout.write(JSON.stringify(event) + '\n');
const users = setup.users || {};
const requireLogin = Object.keys(users).length > 0;
const refused = new Set((setup.refuseRecipients || []).map((a) => a.toLowerCase()));

const server = new SMTPServer({
  secure: !!setup.implicitTls,
  key: setup.keyPem || undefined,
  cert: setup.certPem || undefined,
  // Without a certificate there is no STARTTLS to offer; with one it is offered unless the test says not to.
  hideSTARTTLS: !setup.certPem || !setup.offerStartTls,
  authOptional: !requireLogin,
  allowInsecureAuth: true,
  authMethods: ['PLAIN', 'LOGIN'],
  disabledCommands: requireLogin ? [] : ['AUTH'],
  logger: false,
  onAuth(auth, session, callback) {
    if (users[auth.username] !== undefined && users[auth.username] === auth.password) {
      callback(null, { user: auth.username });
    } else {
      callback(new Error('Invalid username or password'));
    }
  },
  onRcptTo(address, session, callback) {
    if (refused.has(address.address.toLowerCase())) {
      const error = new Error(`Mailbox ${address.address} unavailable`);
      error.responseCode = 550;
      callback(error);
      return;
    }
    callback();
  },
  onData(stream, session, callback) {
    simpleParser(stream, {}).then((mail) => {
      say({
        event: 'message',
        mailFrom: session.envelope.mailFrom && session.envelope.mailFrom.address,
        rcptTo: session.envelope.rcptTo.map((r) => r.address),
        user: session.user || null,
        secure: !!session.secure,
        headers: mail.headerLines.map((h) => ({ key: h.key, line: h.line })),
        subject: mail.subject || null,
        messageId: mail.messageId || null,
        text: mail.text === undefined ? null : mail.text,
        html: mail.html === false || mail.html === undefined ? null : mail.html,
        attachments: mail.attachments.map((a) => ({
          filename: a.filename || null,
          contentType: a.contentType,
          // mailparser guesses contentType from the file name when the part says application/octet-stream.
          declaredType: (a.headers.get('content-type') || {}).value || null,
          base64: a.content.toString('base64'),
        })),
      });
      callback();
    }, callback);
  },
});

server.on('error', (error) => say({ event: 'error', message: String(error && error.message) }));
server.listen(0, '127.0.0.1', () => say({ event: 'listening', port: server.server.address().port }));
process.stdin.on('end', () => server.close(() => process.exit(0)));
process.stdin.resume();
