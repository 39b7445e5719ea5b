package dev.pgfullload.source.copy;

import org.apache.spark.Dependency;
import org.apache.spark.Partition;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

import java.io.IOException;
import java.util.NoSuchElementException;

import scala.collection.AbstractIterator;
import scala.reflect.ClassTag$;

/**
 * The rows of a plain scan of the COPY source: one RDD partition per query, each read by the
 * source's {@link PartitionReader}. It does what Spark's scan RDD does for this source, with one
 * iterator between the reader and its consumer instead of three: the reader is closed, and its
 * session handed back, as soon as its last row is read (or else when the task ends); the task stops
 * within 1,024 rows of being killed; the rows read count in the task's input metrics.
 */
final class PgCopyRDD extends RDD<InternalRow> {

    private static final long serialVersionUID = 1L;

    /** How many rows a task reads between two looks at whether it was killed. */
    static final int KILL_CHECK_INTERVAL = 1024;

    private final InputPartition[] inputs;
    private final PartitionReaderFactory readers;

    @SuppressWarnings({"unchecked", "rawtypes"})
    PgCopyRDD(SparkContext context, InputPartition[] inputs, PartitionReaderFactory readers) {
        super(context, (scala.collection.immutable.Seq<Dependency<?>>) (scala.collection.immutable.Seq) scala.collection.immutable.Nil$.MODULE$,
                ClassTag$.MODULE$.apply(InternalRow.class));
        this.inputs = inputs.clone();
        this.readers = readers;
    }

    @Override
    public Partition[] getPartitions() {
        Partition[] partitions = new Partition[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            partitions[i] = new Slice(i, inputs[i]);
        }
        return partitions;
    }

    @Override
    public scala.collection.Iterator<InternalRow> compute(Partition split, TaskContext context) {
        Rows rows = new Rows(readers.createReader(((Slice) split).input()), context);
        context.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) done -> rows.close());
        return rows;
    }

    private record Slice(int index, InputPartition input) implements Partition {
    }

    /** A Scala iterator for Spark and a Java one for the writer, which takes it as it is. */
    static final class Rows extends AbstractIterator<InternalRow> implements java.util.Iterator<InternalRow> {

        private final PartitionReader<InternalRow> reader;
        private final TaskContext context;
        private boolean advanced;
        private boolean more;
        private boolean closed;
        private long read;

        Rows(PartitionReader<InternalRow> reader, TaskContext context) {
            this.reader = reader;
            this.context = context;
        }

        @Override
        public boolean hasNext() {
            if (!advanced) {
                try {
                    more = !closed && reader.next();
                } catch (IOException e) {
                    // The task fails with the reader's own exception, as the error messages expect.
                    throw Rows.<RuntimeException>rethrow(e);
                }
                advanced = true;
                if (!more) {
                    close();
                }
            }
            return more;
        }

        @Override
        public InternalRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the partition has no more rows");
            }
            advanced = false;
            if (++read % KILL_CHECK_INTERVAL == 0) {
                context.killTaskIfInterrupted();
            }
            return reader.get();
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                reader.close();
            } catch (IOException e) {
                throw Rows.<RuntimeException>rethrow(e);
            } finally {
                context.taskMetrics().inputMetrics().incRecordsRead(read);
            }
        }

        @SuppressWarnings("unchecked")
        private static <T extends Throwable> T rethrow(Throwable failure) throws T {
            throw (T) failure;
        }
    }
}
