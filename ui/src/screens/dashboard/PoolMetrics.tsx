// P2Pool's pool figures on the node card: your part of the PPLNS window, the share difficulty
// and the time to a share at your rate, and what a block found now would pay you. Each says
// "not available" when P2Pool's files did not give it; estimates are marked as such.
import type { PoolInfo } from "../../bindings";
import { Metric } from "../../components/common";
import { useI18n } from "../../i18n";
import { duration, num, pct, rate } from "../../lib/format";

/** Atomic units per XMR (piconero). */
const XMR_ATOMIC = 1e12;

export function PoolMetrics({ pool }: { pool: PoolInfo }) {
  const { t, locale } = useI18n();
  const compact = (v: number) => new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 2 }).format(v);
  const coin = (atomic: number) => `${num(locale, atomic / XMR_ATOMIC, 8)}\u00a0${pool.asset}`;
  const na = t("dash.pool.na");
  return (
    <dl class="metrics metrics-pool" data-testid="pool-metrics" aria-label={t("dash.pool.title")}>
      <Metric
        testId="pool-window"
        label={t("dash.pool.window")}
        value={pool.window_share_percent !== null ? pct(locale, pool.window_share_percent, 4) : null}
        naReason={na}
        prov="reported"
        detail={
          pool.window_shares_estimate !== null && pool.window_size !== null
            ? t("dash.pool.windowShares", { n: num(locale, pool.window_shares_estimate, 1), size: num(locale, pool.window_size, 0) })
            : null
        }
      />
      <Metric
        testId="pool-share-time"
        label={t("dash.pool.shareTime")}
        value={pool.expected_share_secs !== null ? duration(t, locale, pool.expected_share_secs) : null}
        naReason={na}
        prov="estimated"
        detail={
          pool.share_difficulty !== null
            ? t("dash.pool.shareDifficulty", { d: compact(pool.share_difficulty), pool: pool.pool_rate ? rate(locale, pool.pool_rate) : t("na") })
            : null
        }
      />
      <Metric
        testId="pool-payout"
        label={t("dash.pool.payout")}
        value={pool.payout_per_block_atomic !== null ? coin(pool.payout_per_block_atomic) : null}
        naReason={na}
        prov="estimated"
        detail={t("dash.pool.payoutHelp")}
      />
    </dl>
  );
}
