// parallel_tasks_workflow (Flux examples/parallel_tasks.py): four greetings at once, results in input order.
import { parallel, task, workflow, type ExecutionContext } from "flux";

const sayHi = task("say_hi", async (name: string) => `Hi, ${name}`);
const sayHello = task("say_hello", async (name: string) => `Hello, ${name}`);
const diga = task("diga_ola", async (name: string) => `Ola, ${name}`);
const saluda = task("saluda", async (name: string) => `Hola, ${name}`);

export const parallelTasks = workflow("parallel_tasks_workflow", async (ctx: ExecutionContext<string>) => {
  const name = ctx.input;
  return await parallel(sayHi(name), sayHello(name), diga(name), saluda(name));
});
