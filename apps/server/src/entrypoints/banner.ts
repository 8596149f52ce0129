/** Printed once, on the terminal only (never in the JSON logs), when the first admin is made. */
export function printFirstAdmin(admin: { email: string; password: string } | null): void {
  if (!admin) return;
  process.stdout.write(
    [
      '',
      '  First admin account created (this password is shown only once):',
      `    email:    ${admin.email}`,
      `    password: ${admin.password}`,
      '  Sign in, then create your team in Users. Lost it? npm run cli -- create-admin --email you@example.com',
      '',
    ].join('\n') + '\n',
  );
}
