package io.rvoip.sip.sdp;

/** Media direction attributes (RFC 4566 §6, RFC 3264 §5.1). */
public enum Direction {
    SENDRECV("sendrecv"),
    SENDONLY("sendonly"),
    RECVONLY("recvonly"),
    INACTIVE("inactive");

    private final String attribute;

    Direction(String attribute) {
        this.attribute = attribute;
    }

    /** The attribute name. */
    public String attribute() {
        return attribute;
    }

    /** The direction for an attribute name, or null if it is not one. */
    public static Direction of(String name) {
        for (Direction d : values()) {
            if (d.attribute.equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** The first direction attribute among {@code attributes}, or null. */
    public static Direction first(java.util.List<Attribute> attributes) {
        for (Attribute a : attributes) {
            Direction d = of(a.name());
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    /** The direction the answerer uses for an offer in this direction (RFC 3264 §6.1). */
    public Direction reverse() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }

    /** True if media flows from the describing side. */
    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    /** True if the describing side accepts media. */
    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }
}
