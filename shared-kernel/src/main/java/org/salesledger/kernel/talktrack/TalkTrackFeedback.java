package org.salesledger.kernel.talktrack;

/** A rep's answer to a suggested talk track. */
public enum TalkTrackFeedback {
    USED, NOT_APPLICABLE
}
