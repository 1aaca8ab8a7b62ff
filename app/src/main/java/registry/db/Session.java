package registry.db;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * A handle kept from one use to the next, with each SQL object attached to it once.
 *
 * <p>Why: JDBI builds a SQL object anew at every attach, and an on-demand SQL object attaches at
 * every call: building one costs more than the statement it runs on SQLite (profiled: attaching
 * was 18 % of a list page's time, the page's two statements in SQLite 14 %). Kept handles attach
 * once. Whoever uses a session must leave its handle as found: no customizers or settings, no
 * open transaction, every stream closed.
 */
final class Session {
    final Handle handle;
    private final Map<Class<?>, Object> attached = new HashMap<>();

    Session(Handle handle) {
        this.handle = handle;
    }

    /** Calls {@code method} of the session's SQL object of {@code type}, attaching it the first time. */
    Object call(Class<?> type, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(attached.computeIfAbsent(type, handle::attach), args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    void close() {
        attached.clear();
        handle.close();
    }

    /** Throws {@code t} as it is, checked or not: what a SQL object method threw reaches its caller unchanged. */
    @SuppressWarnings("unchecked")
    static <T extends Throwable> RuntimeException rethrow(Throwable t) throws T {
        throw (T) t;
    }

    /** What a proxy made by {@link #proxy} does with each call of a SQL object method. */
    interface Calls {
        Object call(Method method, Object[] args) throws Throwable;
    }

    /** A SQL object of {@code type} whose every call goes to {@code calls}: to the session of the moment. */
    static <D> D proxy(Class<D> type, Calls calls) {
        Map<Method, Boolean> opened = new java.util.concurrent.ConcurrentHashMap<>();
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "kept " + type.getSimpleName();
                };
            }
            // The DAO interfaces are package-private; a proxy passes the same Method object at every call, opened once.
            opened.computeIfAbsent(method, Method::trySetAccessible);
            return calls.call(method, args);
        }));
    }
}
