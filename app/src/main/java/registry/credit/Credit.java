package registry.credit;

/** A credit as a movie lists it: who, by name, in which role. */
public record Credit(long personId, String personName, String role) {}
