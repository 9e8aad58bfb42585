package io.rvoip.media.quality;

/**
 * The ITU-T G.107 E-model (narrowband): the transmission rating R = Ro − Is − Id − Ie,eff + A
 * from the planning parameters, and MOS-CQE from R (Annex B). With every parameter at its G.107
 * default, R = 93.2. Network measurements enter through the one-way delay (T = Ta, Tr = 2T for
 * the listener echo path), packet loss (Ppl, %, with BurstR for bursty loss) and the codec's
 * equipment impairment Ie and packet-loss robustness Bpl.
 *
 * <p>Codec values: {@link #G711_PLC} and {@link #G711_NO_PLC} are ITU-T G.113 Appendix I's for
 * G.711 (Ie 0; Bpl 25.1 with concealment, 4.3 without). Wideband codecs (G.722, Opus) belong to
 * the wideband E-model (G.107.1) and its own Ie,wb and Bpl tables, which this class does not
 * contain; pass values from those tables with {@link Codec#of(double, double)}.
 *
 * @param oneWayDelayMs mouth-to-ear delay, ms (T and Ta; Tr = 2·T)
 * @param packetLossPercent Ppl, 0–100
 * @param burstRatio BurstR, 1 for random loss
 * @param codec the codec's Ie and Bpl
 * @param advantage A (0 for wired telephony)
 */
public record EModel(double oneWayDelayMs, double packetLossPercent, double burstRatio, Codec codec, double advantage) {
    /**
     * Equipment impairment of a codec.
     *
     * @param ie Ie, the impairment without loss
     * @param bpl Bpl, the packet-loss robustness factor
     */
    public record Codec(double ie, double bpl) {
        /** A codec's Ie and Bpl. */
        public static Codec of(double ie, double bpl) {
            return new Codec(ie, bpl);
        }
    }

    /** G.711 with packet-loss concealment (G.113 Appendix I: Ie 0, Bpl 25.1). */
    public static final Codec G711_PLC = new Codec(0, 25.1);
    /** G.711 without concealment (G.113 Appendix I: Ie 0, Bpl 4.3). */
    public static final Codec G711_NO_PLC = new Codec(0, 4.3);

    // G.107 default planning values (Table 1)
    private static final double SLR = 8;
    private static final double RLR = 2;
    private static final double STMR = 15;
    private static final double LSTR = 18;
    private static final double DS = 3;
    private static final double TELR = 65;
    private static final double WEPL = 110;
    private static final double QDU = 1;
    private static final double NC = -70;
    private static final double NFOR = -64;
    private static final double PS = 35;
    private static final double PR = 35;

    /** Validates the inputs. */
    public EModel {
        if (oneWayDelayMs < 0 || packetLossPercent < 0 || packetLossPercent > 100 || burstRatio < 1 || codec == null) {
            throw new IllegalArgumentException("delay " + oneWayDelayMs + ", loss " + packetLossPercent + ", BurstR " + burstRatio);
        }
    }

    /** Conditions with G.711 + PLC, no advantage. */
    public static EModel of(double oneWayDelayMs, double packetLossPercent, double burstRatio) {
        return new EModel(oneWayDelayMs, packetLossPercent, burstRatio, G711_PLC, 0);
    }

    private static double log10(double x) {
        return Math.log10(x);
    }

    /** The noise floor No, dBm0p. */
    static double noise() {
        double ol = SLR + RLR;
        double nos = PS - SLR - DS - 100 + 0.004 * Math.pow(PS - ol - DS - 14, 2);
        double pre = PR + 10 * log10(1 + Math.pow(10, (10 - LSTR) / 10));
        double nor = RLR - 121 + pre + 0.008 * Math.pow(pre - 35, 2);
        double nfo = NFOR + RLR;
        return 10 * log10(Math.pow(10, NC / 10) + Math.pow(10, nos / 10) + Math.pow(10, nor / 10) + Math.pow(10, nfo / 10));
    }

    /** Ro, the basic signal-to-noise ratio. */
    static double ro() {
        return 15 - 1.5 * (SLR + noise());
    }

    /** Is, the simultaneous impairment (loudness, sidetone, quantising). */
    double is() {
        double no = noise();
        double olr = SLR + RLR;
        double xolr = olr + 0.2 * (64 + no - RLR);
        double iolr = 20 * (Math.pow(1 + Math.pow(xolr / 8, 8), 1.0 / 8) - xolr / 8);
        double t = oneWayDelayMs;
        double stmro = -10 * log10(Math.pow(10, -STMR / 10) + Math.exp(-t / 4) * Math.pow(10, -TELR / 10));
        double ist = 12 * Math.pow(1 + Math.pow((stmro - 13) / 6, 8), 1.0 / 8)
                - 28 * Math.pow(1 + Math.pow((stmro + 1) / 19.4, 35), 1.0 / 35)
                - 13 * Math.pow(1 + Math.pow((stmro - 3) / 33, 13), 1.0 / 13) + 29;
        double q = 37 - 15 * log10(QDU);
        double g = 1.07 + 0.258 * q + 0.0602 * q * q;
        double y = (ro() - 100) / 15 + 46 / 8.4 - g / 9;
        double z = 46 / 30.0 - g / 40;
        double iq = 15 * log10(1 + Math.pow(10, y) + Math.pow(10, z));
        return iolr + ist + iq;
    }

    /** Id = Idte + Idle + Idd: talker echo, listener echo, and absolute delay. */
    double id() {
        double t = oneWayDelayMs;
        double tr = 2 * t;
        double no = noise();
        double roe = -1.5 * (no - RLR);
        double terv = TELR - 40 * log10((1 + t / 10) / (1 + t / 150)) + 6 * Math.exp(-0.3 * t * t);
        double re = 80 + 2.5 * (terv - 14);
        double idte = ((roe - re) / 2 + Math.sqrt((roe - re) * (roe - re) / 4 + 100) - 1) * (1 - Math.exp(-t));
        double rle = 10.5 * (WEPL + 7) * Math.pow(tr + 1, -0.25);
        double r0 = ro();
        double idle = (r0 - rle) / 2 + Math.sqrt((r0 - rle) * (r0 - rle) / 4 + 169);
        double idd = 0;
        if (t > 100) {
            double x = log10(t / 100) / log10(2);
            idd = 25 * (Math.pow(1 + Math.pow(x, 6), 1.0 / 6) - 3 * Math.pow(1 + Math.pow(x / 3, 6), 1.0 / 6) + 2);
        }
        return idte + idle + idd;
    }

    /** Ie,eff = Ie + (95 − Ie)·Ppl / (Ppl/BurstR + Bpl). */
    public double ieEff() {
        double ppl = packetLossPercent;
        return codec.ie() + (95 - codec.ie()) * ppl / (ppl / burstRatio + codec.bpl());
    }

    /** The transmission rating R (capped to 0…100 for MOS). */
    public double r() {
        return ro() - is() - id() - ieEff() + advantage;
    }

    /** MOS-CQE from R (G.107 Annex B): 1 below R 0, 4.5 above R 100. */
    public double mos() {
        return mos(r());
    }

    /** MOS-CQE of a rating. */
    public static double mos(double r) {
        if (r <= 0) {
            return 1;
        }
        if (r >= 100) {
            return 4.5;
        }
        return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
    }
}
