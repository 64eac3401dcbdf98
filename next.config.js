/**
 * Next.js configuration for the kbuild web app.
 *
 * Server-only packages that open sockets or load native/generated code are
 * kept out of the bundle and loaded with Node's own resolver at run time.
 * The BullMQ Worker never runs in this process (only `Queue` is imported).
 */

/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["bullmq", "ioredis", "pg", "@prisma/client", "@prisma/adapter-pg"],
  poweredByHeader: false,
  reactStrictMode: true,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default nextConfig;
