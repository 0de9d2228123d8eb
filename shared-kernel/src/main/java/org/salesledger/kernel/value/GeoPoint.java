package org.salesledger.kernel.value;

/** A WGS 84 position: latitude in [-90, 90], longitude in [-180, 180]. */
public record GeoPoint(double lat, double lon) {

    public GeoPoint {
        if (Double.isNaN(lat) || lat < -90 || lat > 90) {
            throw new IllegalArgumentException("lat must be between -90 and 90");
        }
        if (Double.isNaN(lon) || lon < -180 || lon > 180) {
            throw new IllegalArgumentException("lon must be between -180 and 180");
        }
    }
}
